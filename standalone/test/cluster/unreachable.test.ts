import { loadDirectoryData } from '@groupcall/shared/directory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, type PodProcess, startCluster } from './support/cluster.ts';

// trio-a, trio-b = Alice (1), Bob (2, push token), Carol (3, no push token). Rings time out
// after 60 s: a call that ends within these tests ended for another reason.
let cluster: Cluster;

beforeAll(async () => {
  const demo = loadDirectoryData();
  cluster = await startCluster({
    pods: ['sfu-a'],
    directory: {
      users: demo.users,
      conversations: ['trio-a', 'trio-b'].map((id) => ({
        id,
        name: id,
        avatar: null,
        members: ['1', '2', '3'],
      })),
    },
    controlPlaneEnv: { RING_TIMEOUT_SECONDS: '60' },
  });
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
});

const pod = (): PodProcess => cluster.pods.get('sfu-a') as PodProcess;
const listen = async (userId: string) =>
  TestClient.joined(pod().url, userId, { path: pod().path, token: await cluster.token(userId) });

describe('a member no device of whom can ring', () => {
  it('is unreachable, and a call only unreachable or declined members are left to answer ends', async () => {
    const alice = await listen('1');
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'trio-a',
      callType: 'video',
    });
    expect(started.status).toBe(201);

    const status = await cluster.api('1', 'GET', '/v1/calls/trio-a');
    expect(status.body).toMatchObject({
      active: true,
      members: [
        { userId: '2', ring: 'ringing' },
        { userId: '3', ring: 'unreachable' },
      ],
    });

    // Bob declines: Carol cannot answer and nobody is in the room, so the call is over.
    expect((await cluster.api('2', 'POST', '/v1/calls/trio-a/decline')).status).toBe(204);
    expect(await alice.waitFor('group_call_ended', (e) => e.conversationId === 'trio-a')).toEqual({
      conversationId: 'trio-a',
      callId: started.body.callId,
    });
    expect((await cluster.api('1', 'GET', '/v1/calls/trio-a')).body).toMatchObject({ active: false });
    alice.close();
  }, 60_000);

  it('rings on a connected device even without a push token, and keeps the call alive', async () => {
    const carol = await listen('3');
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'trio-b',
      callType: 'audio',
    });
    expect(started.status).toBe(201);
    expect(await carol.waitFor('group_call_incoming')).toMatchObject({ callId: started.body.callId });

    expect((await cluster.api('2', 'POST', '/v1/calls/trio-b/decline')).status).toBe(204);
    const status = await cluster.api('1', 'GET', '/v1/calls/trio-b');
    expect(status.body).toMatchObject({
      active: true,
      members: [
        { userId: '2', ring: 'declined' },
        { userId: '3', ring: 'ringing' },
      ],
    });
    carol.close();
  }, 60_000);
});

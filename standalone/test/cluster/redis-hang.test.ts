import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterCall, produce } from '../support/media-fixtures.ts';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, startCluster } from './support/cluster.ts';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ pods: ['sfu-a'] });
}, 60_000);
afterAll(() => cluster?.stop());

async function device(userId: string): Promise<TestClient> {
  const pod = cluster.pods.get('sfu-a');
  if (!pod) throw new Error('no pod');
  return TestClient.joined(pod.url, userId, { path: pod.path, token: await cluster.token(userId) });
}

describe('a hung Redis (SIGSTOP) under a real pod', () => {
  it('does not stall the requests of the pod’s sockets, nor the leave of one that disconnects', async () => {
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'team-alpha',
      callType: 'video',
    });
    expect(started.status).toBe(201);
    for (const userId of ['2', '3']) {
      expect((await cluster.api(userId, 'POST', '/v1/calls/team-alpha/join')).status).toBe(200);
    }
    const alice = await enterCall(await device('1'), 'team-alpha');
    const bob = await enterCall(await device('2'), 'team-alpha');
    const carol = await device('3');
    try {
      cluster.redis.signal('SIGSTOP');

      // Bob asks to enter again (a retry): admission reads the call state from Redis.
      const bobsRetry = bob.client.request('createRoom', { roomId: 'team-alpha' });
      // Carol enters for the first time.
      const carolsEntry = carol.request('createRoom', { roomId: 'team-alpha' });
      // Alice, in the call, is served meanwhile.
      expect(await produce(alice, 'audio')).toEqual(expect.any(String));
      expect((await alice.client.request('getProducers')).producers).toEqual([]);

      // Both get a clear, retryable error instead of waiting forever...
      const unavailable = { error: 'Call placement is unavailable, try again shortly' };
      expect(await carolsEntry).toEqual(unavailable);
      expect(await bobsRetry).toEqual(unavailable);
      // ...and Bob's leave on disconnect, queued behind his retry, reaches Alice.
      const bobsSocket = bob.client.id;
      bob.client.close();
      expect(await alice.client.waitFor('participantLeft', (p) => p.socketId === bobsSocket)).toEqual({
        socketId: bobsSocket,
      });
    } finally {
      cluster.redis.signal('SIGCONT');
      for (const client of [alice.client, bob.client, carol]) client.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, startCluster } from './support/cluster.ts';
import { directoryWithBurst } from './support/directory.ts';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ pods: ['sfu-a', 'sfu-b'], directory: directoryWithBurst(51) });
}, 60_000);
afterAll(() => cluster?.stop());

const podOf = (endpoint: { path: string }) => endpoint.path.split('/')[2];

describe('placement across two real pods', () => {
  it('gives every concurrent initiate of one call the same pod', async () => {
    const answers = await Promise.all(
      ['1', '2', '3', '4', '1', '2'].map((userId) =>
        cluster.api(userId, 'POST', '/v1/calls', { conversationId: 'team-alpha', callType: 'video' }),
      ),
    );
    for (const answer of answers) expect([200, 201]).toContain(answer.status);
    const pods = new Set(answers.map((a) => podOf(a.body.endpoint)));
    expect(pods.size).toBe(1);
    const [pod] = pods;
    expect(cluster.pods.get(pod ?? '')?.url).toBe(answers[0]?.body.endpoint.url);
  });

  it('spreads a burst of 50 new calls over the pods by load', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        cluster.api('1', 'POST', '/v1/calls', { conversationId: `burst-${i + 1}`, callType: 'audio' }),
      ),
    );
    const perPod = new Map<string, number>();
    for (const answer of answers) {
      expect(answer.status).toBe(201);
      const pod = podOf(answer.body.endpoint) ?? '';
      perPod.set(pod, (perPod.get(pod) ?? 0) + 1);
    }
    expect([...perPod.keys()].sort()).toEqual(['sfu-a', 'sfu-b']);
    for (const count of perPod.values()) expect(count).toBeGreaterThanOrEqual(20);
  });

  it('rings a member connected to the other pod, on every device', async () => {
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'team-beta',
      callType: 'video',
    });
    expect(started.status).toBe(403); // Alice is not in Team Beta
    const devices = await Promise.all(
      [...cluster.pods.values()].map(async (pod) =>
        TestClient.joined(pod.url, '6', { path: pod.path, token: await cluster.token('6') }),
      ),
    );
    const call = await cluster.api('5', 'POST', '/v1/calls', {
      conversationId: 'team-beta',
      callType: 'video',
    });
    expect(call.status).toBe(201);
    for (const device of devices) {
      expect(await device.waitFor('group_call_incoming')).toMatchObject({
        conversationId: 'team-beta',
        callerId: '5',
        callerInfo: { name: 'Erin' },
      });
    }
    for (const device of devices) device.close();
  });

  it('answers createRoom on the wrong pod with the endpoint that hosts the call', async () => {
    const call = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'team-alpha',
      callType: 'video',
    });
    const host = podOf(call.body.endpoint);
    const other = [...cluster.pods.values()].find((pod) => pod.name !== host);
    if (!other) throw new Error('need two pods');
    const bob = await TestClient.joined(other.url, '2', {
      path: other.path,
      token: await cluster.token('2'),
    });
    const answer = await bob.request('createRoom', { roomId: 'team-alpha' });
    expect(answer).toEqual({
      error: `This call is hosted on another server: ${call.body.endpoint.url}${call.body.endpoint.path}`,
      endpoint: call.body.endpoint,
    });
    bob.close();
  });

  it('ends a call when its pod empties: members hear it, ringing stops, the control plane forgets it', async () => {
    const bobPod = cluster.pods.get('sfu-b');
    if (!bobPod) throw new Error('no pod sfu-b');
    const bob = await TestClient.joined(bobPod.url, '2', {
      path: bobPod.path,
      token: await cluster.token('2'),
    });
    const call = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'burst-51',
      callType: 'video',
    });
    expect(call.status).toBe(201);
    await bob.waitFor('group_call_incoming');
    const pod = [...cluster.pods.values()].find((p) => p.path === call.body.endpoint.path);
    if (!pod) throw new Error('unknown pod');
    const alice = await TestClient.joined(pod.url, '1', { path: pod.path, token: await cluster.token('1') });
    const entered = await alice.request('createRoom', { roomId: 'burst-51', ticket: call.body.ticket });
    expect(entered.rtpCapabilities).toBeDefined();

    alice.emit('leaveRoom');
    expect(await bob.waitFor('group_call_ended')).toEqual({
      conversationId: 'burst-51',
      callId: call.body.callId,
    });
    expect(await bob.waitFor('group_call_ring_stopped')).toEqual({
      conversationId: 'burst-51',
      callId: call.body.callId,
      reason: 'ended',
    });
    await expect
      .poll(async () => (await cluster.api('2', 'GET', '/v1/calls/burst-51')).body.active, {
        timeout: 10_000,
      })
      .toBe(false);
    for (const client of [alice, bob]) client.close();
  });
});

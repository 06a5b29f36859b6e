import { placementKeys } from '@groupcall/shared/placement';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterCall, produce } from '../support/media-fixtures.ts';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, type PodProcess, startCluster } from './support/cluster.ts';
import { directoryWithBurst } from './support/directory.ts';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ pods: ['sfu-a', 'sfu-b'], directory: directoryWithBurst(20) });
}, 60_000);
afterAll(() => cluster?.stop());

const podOf = (endpoint: { path: string }): PodProcess => {
  const pod = cluster.pods.get(endpoint.path.split('/')[2] ?? '');
  if (!pod) throw new Error(`unknown pod in ${endpoint.path}`);
  return pod;
};

/** Starts a call as `userId` and enters it on the pod the control plane chose, with the ticket. */
async function callOnItsPod(userId: string, conversationId: string) {
  const started = await cluster.api(userId, 'POST', '/v1/calls', { conversationId, callType: 'video' });
  expect([200, 201]).toContain(started.status);
  const pod = podOf(started.body.endpoint);
  const client = await TestClient.joined(pod.url, userId, {
    path: pod.path,
    token: await cluster.token(userId),
  });
  const created = await client.request('createRoom', { roomId: conversationId, ticket: started.body.ticket });
  expect(created.rtpCapabilities).toBeDefined();
  return { pod, client };
}

describe('pods coming and going', () => {
  it('sends the next join of a call whose pod was killed to a live pod', async () => {
    const { pod, client } = await callOnItsPod('1', 'burst-1');
    pod.process.signal('SIGKILL');
    await pod.process.exit();
    client.close();

    // The dead pod's registry entry expires within seconds; until then joins still name it.
    let moved: { body: { endpoint: { url: string; path: string }; ticket: string } } | undefined;
    const deadline = Date.now() + 15_000;
    while (!moved && Date.now() < deadline) {
      const join = await cluster.api('2', 'POST', '/v1/calls/burst-1/join');
      if (join.status === 200 && podOf(join.body.endpoint).name !== pod.name) moved = join;
    }
    if (!moved) throw new Error('the call was never moved to a live pod');
    const live = podOf(moved.body.endpoint);
    const bob = await TestClient.joined(live.url, '2', { path: live.path, token: await cluster.token('2') });
    const entered = await bob.request('createRoom', { roomId: 'burst-1', ticket: moved.body.ticket });
    expect(entered.rtpCapabilities).toBeDefined();
    bob.close();
    cluster.pods.delete(pod.name);
    await cluster.startPod(pod.name);
  });

  it('drains on SIGTERM: no new calls there, the running call goes on, exit after the last leave', async () => {
    const { pod, client } = await callOnItsPod('1', 'burst-2');
    const alice = await enterCall(client, 'burst-2');
    const bob = await TestClient.joined(pod.url, '2', { path: pod.path, token: await cluster.token('2') });
    const bobCall = await enterCall(bob, 'burst-2');

    pod.process.signal('SIGTERM');
    await expect.poll(async () => (await fetch(`${pod.url}/readyz`)).status, { timeout: 10_000 }).toBe(503);
    // Placement sees the draining state within one heartbeat; every new call then goes elsewhere.
    await expect
      .poll(
        async () =>
          (await cluster.api('1', 'POST', '/v1/calls', { conversationId: 'burst-3', callType: 'audio' })).body
            .endpoint.path,
        { timeout: 10_000 },
      )
      .not.toBe(pod.path);
    for (let i = 4; i <= 8; i++) {
      const call = await cluster.api('1', 'POST', '/v1/calls', {
        conversationId: `burst-${i}`,
        callType: 'audio',
      });
      expect(podOf(call.body.endpoint).name).not.toBe(pod.name);
    }

    // The running call still works: new media is produced and consumed.
    const producerId = await produce(alice, 'audio');
    const consumed = await bobCall.client.request('consume', {
      transportId: bobCall.recvTransportId,
      producerId,
      rtpCapabilities: bobCall.rtpCapabilities,
    });
    expect(consumed.producerId).toBe(producerId);
    expect(alice.client.received('callInterrupted')).toEqual([]);

    alice.client.emit('leaveRoom');
    bob.emit('leaveRoom');
    expect(await pod.process.exit()).toEqual({ code: 0, signal: null });
    for (const c of [alice.client, bob]) c.close();
    cluster.pods.delete(pod.name);
    await cluster.startPod(pod.name);
  });
});

describe('two pods hosting one call', () => {
  it('is mended: the pod that lost the assignment moves its devices to the winner', async () => {
    const { pod, client } = await callOnItsPod('1', 'burst-10');
    const other = [...cluster.pods.values()].find((p) => p.name !== pod.name);
    if (!other) throw new Error('need two pods');
    // What a Redis outage can leave behind: the call was placed again, on the other pod.
    const redis = new Redis(cluster.redis.url);
    await redis.set(placementKeys().assignment('burst-10'), other.name, 'PX', 30_000);
    await redis.quit();

    expect(await client.waitFor('callInterrupted')).toEqual({
      conversationId: 'burst-10',
      reason: 'call-moved',
    });
    const rejoin = await cluster.api('1', 'POST', '/v1/calls/burst-10/join');
    expect(rejoin.body.endpoint.path).toBe(other.path);
    client.close();
  });
});

describe('a drain deadline', () => {
  let small: Cluster;
  beforeAll(async () => {
    small = await startCluster({ pods: ['sfu-c'], podEnv: { DRAIN_DEADLINE_SECONDS: '1' } });
  }, 60_000);
  afterAll(() => small?.stop());

  it('ends calls still running at the deadline, telling their devices, then exits', async () => {
    const started = await small.api('1', 'POST', '/v1/calls', {
      conversationId: 'team-alpha',
      callType: 'video',
    });
    const pod = small.pods.get('sfu-c');
    if (!pod) throw new Error('no pod');
    const alice = await TestClient.joined(pod.url, '1', { path: pod.path, token: await small.token('1') });
    expect(
      (await alice.request('createRoom', { roomId: 'team-alpha', ticket: started.body.ticket }))
        .rtpCapabilities,
    ).toBeDefined();

    pod.process.signal('SIGTERM');
    expect(await alice.waitFor('callInterrupted')).toEqual({
      conversationId: 'team-alpha',
      reason: 'server-shutdown',
    });
    expect(await pod.process.exit()).toEqual({ code: 0, signal: null });
    alice.close();
  });
});

import { type FakeFcm, startFakeFcm } from '@groupcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, type PodProcess, startCluster } from './support/cluster.ts';
import { directoryWithBurst } from './support/directory.ts';

// Demo directory: team-alpha = Alice (1), Bob (2), Carol (3, no push token), Dave (4);
// burst-N = Alice and Bob. Pushes go to a fake FCM; rings time out after 10 s, rooms
// that empty end after 1 s.
const ringTimeoutSeconds = 10;
/** Pod heartbeat TTL (6 s) plus a few seconds. */
const podLossNoticeMs = 12_000;
let cluster: Cluster;
let fcm: FakeFcm;

beforeAll(async () => {
  fcm = await startFakeFcm();
  cluster = await startCluster({
    pods: ['sfu-a', 'sfu-b'],
    directory: directoryWithBurst(10),
    controlPlaneEnv: {
      RING_TIMEOUT_SECONDS: String(ringTimeoutSeconds),
      FCM_EMULATOR_URL: `http://127.0.0.1:${fcm.port}`,
      FCM_EMULATOR_ACCESS_TOKEN: fcm.accessToken,
      FIREBASE_PROJECT_ID: fcm.projectId,
    },
  });
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
  await fcm?.stop();
});

const podOf = (endpoint: { path: string }): PodProcess => {
  const pod = cluster.pods.get(endpoint.path.split('/')[2] ?? '');
  if (!pod) throw new Error(`unknown pod in ${endpoint.path}`);
  return pod;
};
const otherPod = (pod: PodProcess): PodProcess => {
  const other = [...cluster.pods.values()].find((p) => p.name !== pod.name);
  if (!other) throw new Error('need two pods');
  return other;
};
const listen = async (userId: string, pod: PodProcess) =>
  TestClient.joined(pod.url, userId, { path: pod.path, token: await cluster.token(userId) });

/** `userId` starts a call and enters its room on the pod the control plane chose. */
async function startAndEnter(userId: string, conversationId: string) {
  const started = await cluster.api(userId, 'POST', '/v1/calls', { conversationId, callType: 'video' });
  expect(started.status).toBe(201);
  const pod = podOf(started.body.endpoint);
  const client = await listen(userId, pod);
  const entered = await client.request('createRoom', { roomId: conversationId, ticket: started.body.ticket });
  expect(entered.rtpCapabilities).toBeDefined();
  // The pod's participant report has reached the call state.
  await expect
    .poll(async () => (await cluster.api(userId, 'GET', `/v1/calls/${conversationId}`)).body.participants)
    .toBe(1);
  return { callId: started.body.callId as string, ticket: started.body.ticket as string, pod, client };
}

const missedPushesTo = (token: string, conversationId: string) =>
  fcm
    .delivered()
    .filter(
      (r) =>
        r.token === token &&
        r.message.data?.type === 'group_call_missed' &&
        r.message.data?.conversationId === conversationId,
    );

describe('a call nobody enters', () => {
  it('ends at its ring timeout, so a join that never entered does not silence the next call', async () => {
    const bob = await listen('2', [...cluster.pods.values()][0] as PodProcess);
    // Bob "joins" (the API answers with a ticket) but his app never reaches the room.
    const join = await cluster.api('2', 'POST', '/v1/calls/burst-1/join');
    expect(join.status).toBe(200);

    expect(await bob.waitFor('group_call_ended', (e) => e.conversationId === 'burst-1', 20_000)).toEqual({
      conversationId: 'burst-1',
      callId: join.body.callId,
    });
    const next = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'burst-1',
      callType: 'audio',
    });
    expect(next.status).toBe(201);
    const incoming = await bob.waitFor('group_call_incoming', (e) => e.conversationId === 'burst-1');
    expect(incoming.callId).toBe(next.body.callId);
    bob.close();
  }, 60_000);
});

describe("a sole participant's createRoom retry", () => {
  it('does not end the call: the members go on ringing', async () => {
    const alice = await startAndEnter('1', 'team-alpha');
    const bob = await listen('2', alice.pod);
    const carol = await listen('3', otherPod(alice.pod));

    // A glitch: Alice's app sends createRoom again with the same ticket.
    const again = await alice.client.request('createRoom', { roomId: 'team-alpha', ticket: alice.ticket });
    expect(again.rtpCapabilities).toBeDefined();

    await bob.settle();
    expect(bob.received('group_call_ended')).toEqual([]);
    expect(bob.received('group_call_ring_stopped')).toEqual([]);
    const status = await cluster.api('3', 'GET', '/v1/calls/team-alpha');
    expect(status.body).toMatchObject({ active: true, callId: alice.callId });
    expect(status.body.members).toContainEqual({ userId: '2', ring: 'ringing' });

    // When Alice really leaves, the call ends once its empty-room grace has passed.
    alice.client.emit('leaveRoom');
    for (const member of [bob, carol])
      expect(await member.waitFor('group_call_ended')).toEqual({
        conversationId: 'team-alpha',
        callId: alice.callId,
      });
    expect(await bob.waitFor('group_call_ring_stopped')).toEqual({
      conversationId: 'team-alpha',
      callId: alice.callId,
      reason: 'ended',
    });
    await bob.settle();
    expect(bob.received('group_call_ended')).toHaveLength(1);
    for (const client of [alice.client, bob, carol]) client.close();
  });
});

describe('a late "ended" for an earlier call', () => {
  it('leaves the newer call in the conversation ringing and running', async () => {
    const first = await startAndEnter('1', 'burst-2');
    const bob = await listen('2', otherPod(first.pod));
    first.client.emit('leaveRoom');
    await bob.waitFor('group_call_ended', (e) => e.callId === first.callId);
    const second = await startAndEnter('1', 'burst-2');
    await bob.waitFor('group_call_incoming', (e) => e.callId === second.callId);

    // The first call's pod retries its report after the second call started.
    const late = await fetch(`${cluster.controlPlaneUrl}/internal/v1/calls/burst-2/ended`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await cluster.serviceToken(first.pod.name)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ callId: first.callId }),
    });
    expect(late.status).toBe(204);

    const status = await cluster.api('2', 'GET', '/v1/calls/burst-2');
    expect(status.body).toMatchObject({
      active: true,
      callId: second.callId,
      participants: 1,
      // Alice entered (the pod reported her), Bob still rings.
      members: [
        { userId: '1', ring: 'accepted' },
        { userId: '2', ring: 'ringing' },
      ],
    });
    // Bob can still answer the second call, on the pod where it runs.
    const join = await cluster.api('2', 'POST', '/v1/calls/burst-2/join');
    expect(join.body).toMatchObject({ callId: second.callId, endpoint: { path: second.pod.path } });
    expect(bob.received('group_call_ended').filter((e) => e.callId === second.callId)).toEqual([]);
    for (const client of [first.client, second.client, bob]) client.close();
  });
});

describe('declining', () => {
  it("reaches the caller's devices", async () => {
    const alice = await startAndEnter('1', 'burst-3');
    const aliceElsewhere = await listen('1', otherPod(alice.pod));

    const declined = await cluster.api('2', 'POST', '/v1/calls/burst-3/decline');

    expect(declined.status).toBe(204);
    for (const device of [alice.client, aliceElsewhere])
      expect(await device.waitFor('group_call_declined')).toEqual({
        conversationId: 'burst-3',
        callId: alice.callId,
        userId: '2',
      });
    const status = await cluster.api('1', 'GET', '/v1/calls/burst-3');
    expect(status.body).toMatchObject({
      active: true,
      members: [
        { userId: '1', ring: 'accepted' },
        { userId: '2', ring: 'declined' },
      ],
    });
    for (const client of [alice.client, aliceElsewhere]) client.close();
  });
});

describe('two control-plane replicas', () => {
  it('send the missed-call push exactly once, even when the replica that started the call is killed', async () => {
    const starter = await cluster.startControlPlane();
    const started = await cluster.api(
      '1',
      'POST',
      '/v1/calls',
      { conversationId: 'burst-4', callType: 'video' },
      starter,
    );
    expect(started.status).toBe(201);
    starter.process.signal('SIGKILL');
    await starter.process.exit();
    // A replacement replica comes up meanwhile: two replicas now poll the same deadlines.
    await cluster.startControlPlane();

    await expect.poll(() => missedPushesTo('demo-token-bob', 'burst-4').length, { timeout: 15_000 }).toBe(1);
    // A later call's missed push arrives after any duplicate of the first would have.
    const later = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'burst-5',
      callType: 'video',
    });
    expect(later.status).toBe(201);
    await expect.poll(() => missedPushesTo('demo-token-bob', 'burst-5').length, { timeout: 15_000 }).toBe(1);
    expect(missedPushesTo('demo-token-bob', 'burst-4')).toHaveLength(1);
    expect(
      JSON.parse(missedPushesTo('demo-token-bob', 'burst-4')[0]?.message.data?.data ?? '{}'),
    ).toMatchObject({
      callId: started.body.callId,
    });
  }, 90_000);
});

describe('a pod killed with a call on it', () => {
  it('ends the call for its members within the heartbeat TTL, and the next call rings', async () => {
    const alice = await startAndEnter('1', 'team-alpha');
    const survivor = otherPod(alice.pod);
    const bob = await listen('2', survivor);

    const killedAt = Date.now();
    alice.pod.process.signal('SIGKILL');
    await alice.pod.process.exit();
    alice.client.close();

    expect(await bob.waitFor('group_call_ended', (e) => e.callId === alice.callId, podLossNoticeMs)).toEqual({
      conversationId: 'team-alpha',
      callId: alice.callId,
    });
    expect(Date.now() - killedAt).toBeLessThan(podLossNoticeMs);

    const next = await cluster.api('3', 'POST', '/v1/calls', {
      conversationId: 'team-alpha',
      callType: 'video',
    });
    expect(next.status).toBe(201);
    expect(next.body.endpoint.path).toBe(survivor.path);
    const incoming = await bob.waitFor('group_call_incoming', (e) => e.callId === next.body.callId);
    expect(incoming.callerId).toBe('3');
    bob.close();
  });
});

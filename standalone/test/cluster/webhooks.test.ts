import { startWebhookReceiver, type WebhookPayload, type WebhookReceiver } from '@groupcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, type PodProcess, startCluster } from './support/cluster.ts';
import { directoryWithBurst } from './support/directory.ts';

// burst-N = Alice (1) and Bob (2). One pod; rings time out after 8 s, rooms that
// empty end after 1 s, failed webhooks are retried after 0.5–1 s, then 1–2 s.
let cluster: Cluster;
let receiver: WebhookReceiver;
const eventTimeoutMs = 40_000;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  cluster = await startCluster({
    pods: ['sfu-a'],
    directory: directoryWithBurst(5),
    controlPlaneEnv: {
      RING_TIMEOUT_SECONDS: '8',
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: receiver.secret,
      WEBHOOK_RETRY_BASE_SECONDS: '1',
      WEBHOOK_RETRY_MAX_SECONDS: '2',
    },
  });
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
  await receiver?.stop();
});

const pod = (): PodProcess => cluster.pods.get('sfu-a') as PodProcess;
/** The events of one call the receiver accepted (answered 2xx, signature verified), in arrival order. */
const eventsOf = (callId: string): WebhookPayload[] =>
  receiver.accepted().filter((event) => event.data.callId === callId);
const typesOf = (callId: string) => eventsOf(callId).map((event) => event.type);

/** `userId` connects to the pod and enters the call with the ticket of an admission answer. */
async function enter(userId: string, admission: { ticket: string }, conversationId: string) {
  const client = await TestClient.joined(pod().url, userId, {
    path: pod().path,
    token: await cluster.token(userId),
  });
  const entered = await client.request('createRoom', { roomId: conversationId, ticket: admission.ticket });
  expect(entered.rtpCapabilities).toBeDefined();
  return client;
}

const participantsIn = async (conversationId: string) =>
  (await cluster.api('1', 'GET', `/v1/calls/${conversationId}`)).body.participants;

/** Every accepted event was accepted once: retries reuse the event's webhook-id and are not counted twice. */
function expectEachAcceptedOnce() {
  const ids = receiver.attempts.filter((a) => a.status < 300).map((a) => a.id);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('webhooks', () => {
  it("deliver a call's events once each, in order and signed, also when the backend answers 500 twice first", async () => {
    receiver.failNext(2);
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'burst-1',
      callType: 'video',
    });
    expect(started.status).toBe(201);
    const callId: string = started.body.callId;
    const alice = await enter('1', started.body, 'burst-1');
    await expect.poll(() => participantsIn('burst-1')).toBe(1);
    const bobJoin = await cluster.api('2', 'POST', '/v1/calls/burst-1/join');
    const bob = await enter('2', bobJoin.body, 'burst-1');
    await expect.poll(() => participantsIn('burst-1')).toBe(2);
    bob.emit('leaveRoom');
    await expect.poll(() => participantsIn('burst-1')).toBe(1);
    alice.emit('leaveRoom');

    await expect
      .poll(() => typesOf(callId), { timeout: eventTimeoutMs })
      .toEqual([
        'call.started',
        'participant.joined',
        'participant.joined',
        'participant.left',
        'participant.left',
        'call.ended',
      ]);
    const [callStarted, aliceJoined, bobJoined, bobLeft, aliceLeft, callEnded] = eventsOf(callId);
    expect(callStarted?.data).toMatchObject({
      callId,
      conversationId: 'burst-1',
      callType: 'video',
      startedBy: '1',
    });
    expect(aliceJoined?.data).toMatchObject({ callId, userId: '1', socketId: alice.id });
    expect(bobJoined?.data).toMatchObject({ callId, userId: '2', socketId: bob.id });
    expect(bobLeft?.data).toMatchObject({ callId, userId: '2', socketId: bob.id });
    expect(aliceLeft?.data).toMatchObject({ callId, userId: '1', socketId: alice.id });
    expect(callEnded?.data).toMatchObject({ callId, conversationId: 'burst-1', peakParticipants: 2 });
    expect(callEnded?.data.durationMs).toBeGreaterThan(0);

    // The two failed attempts were retried with the same webhook-id (the receiver's idempotency key).
    const failed = receiver.attempts.filter((a) => a.status === 500);
    expect(failed).toHaveLength(2);
    const acceptedIds = receiver.attempts.filter((a) => a.status < 300).map((a) => a.id);
    for (const attempt of failed) expect(acceptedIds).toContain(attempt.id);
    expectEachAcceptedOnce();
    for (const client of [alice, bob]) client.close();
  }, 90_000);

  it('tell the backend which members missed the call', async () => {
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'burst-2',
      callType: 'audio',
    });
    const callId: string = started.body.callId;
    const alice = await enter('1', started.body, 'burst-2');

    await expect.poll(() => typesOf(callId), { timeout: eventTimeoutMs }).toContain('ring.missed');
    alice.emit('leaveRoom');
    await expect
      .poll(() => typesOf(callId), { timeout: eventTimeoutMs })
      .toEqual(['call.started', 'participant.joined', 'ring.missed', 'participant.left', 'call.ended']);
    expect(eventsOf(callId)[2]?.data).toMatchObject({ callId, conversationId: 'burst-2', userId: '2' });
    expectEachAcceptedOnce();
    alice.close();
  }, 90_000);

  // Last: the pods keep reporting to the first control plane, which this test stops.
  it('survive a control-plane restart with deliveries pending: each event arrives once, in order', async () => {
    receiver.rejectAll(true);
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'burst-3',
      callType: 'video',
    });
    const callId: string = started.body.callId;
    await expect
      .poll(() => receiver.attempts.some((a) => a.payload?.data.callId === callId), {
        timeout: eventTimeoutMs,
      })
      .toBe(true);

    const first = cluster.controlPlane;
    first.signal('SIGTERM');
    await first.exit();
    await cluster.startControlPlane();
    receiver.rejectAll(false);

    // Nobody entered: Bob misses the call at its ring timeout, and the call ends.
    await expect
      .poll(() => typesOf(callId), { timeout: eventTimeoutMs })
      .toEqual(['call.started', 'ring.missed', 'call.ended']);
    expect(eventsOf(callId)[2]?.data).toMatchObject({ callId, peakParticipants: 0 });
    expectEachAcceptedOnce();
  }, 120_000);
});

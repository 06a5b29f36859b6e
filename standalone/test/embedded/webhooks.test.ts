import { startWebhookReceiver, type WebhookReceiver } from '@groupcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { TestClient } from '../support/test-client.ts';
import { startTestServer } from '../support/test-server.ts';

// The embedded default posts the same signed events as the service, from an in-memory queue.
let receiver: WebhookReceiver;
let server: RunningServer;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startTestServer({
    webhooks: {
      url: receiver.url,
      secret: receiver.secret,
      timeoutMs: 5_000,
      retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 2_000 },
    },
  });
});
afterAll(async () => {
  await server?.close();
  await receiver?.stop();
});

describe('the embedded default', () => {
  it("posts a call's events once each, in order and signed, retrying a backend that failed twice", async () => {
    receiver.failNext(2);
    const alice = await TestClient.joined(server.url, '1');
    const entered = await alice.request('createRoom', { roomId: 'team-alpha' });
    expect(entered.rtpCapabilities).toBeDefined();
    alice.emit('leaveRoom');

    await expect
      .poll(() => receiver.accepted().map((event) => event.type), { timeout: 30_000 })
      .toEqual(['call.started', 'participant.joined', 'participant.left', 'call.ended']);
    const events = receiver.accepted();
    const callId = events[0]?.data.callId;
    expect(callId).toEqual(expect.any(String));
    for (const event of events) expect(event.data).toMatchObject({ callId, conversationId: 'team-alpha' });
    expect(events[1]?.data).toMatchObject({ userId: '1', socketId: alice.id });
    expect(events[3]?.data).toMatchObject({ peakParticipants: 1 });
    expect(receiver.attempts.filter((a) => a.status === 500)).toHaveLength(2);
    alice.close();
  }, 60_000);
});

import type { DirectoryData } from '@groupcall/shared/directory';
import { createLogger } from '@groupcall/shared/logging';
import { type FakeFcm, startFakeFcm, waitUntil } from '@groupcall/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initiateGroupCall } from '../../src/calls/initiate-call.ts';
import { PlanetScaleDirectory } from '../../src/directory/planetscale-directory.ts';
import { Metrics } from '../../src/metrics/metrics.ts';
import {
  FcmPushSender,
  type FcmPushSenderOptions,
  type MulticastSender,
} from '../../src/push/fcm-push-sender.ts';
import { createFirebaseMessaging, type FirebaseMessaging } from '../../src/push/firebase-messaging.ts';
import { groupCallInitiatePushData, type PushMessage } from '../../src/push/push.ts';
import { stopRingingPushData } from '../../src/push/stop-ringing.ts';
import { seedDirectory } from '../../tools/seed/seed-directory.ts';
import { type PlanetScaleDatabase, startPlanetScaleDatabase } from '../support/planetscale-database.ts';

// The real firebase-admin SDK sends to a fake FCM speaking the FCM v1 wire
// format; dead tokens are removed from a real database through the
// PlanetScale driver and simulator.
let database: PlanetScaleDatabase;
let directory: PlanetScaleDirectory;
let fcm: FakeFcm;
let firebase: FirebaseMessaging;
/** Tokens per sendEachForMulticast call, in call order. */
let batchSizes: number[];
let sender: FcmPushSender;

const silent = createLogger('control-plane-test', 'silent');
const noNotifier = { notifyUsers() {} };

function newSender(options: Partial<FcmPushSenderOptions> = {}): FcmPushSender {
  const messaging: MulticastSender = {
    sendEachForMulticast: (message) => {
      batchSizes.push(message.tokens.length);
      return firebase.messaging.sendEachForMulticast(message);
    },
  };
  return new FcmPushSender({
    messaging,
    log: silent,
    tokenStore: directory,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}

/** One conversation; user i has the given tokens. */
function group(conversationId: string, firstUserId: number, tokensPerUser: string[][]): DirectoryData {
  const users = tokensPerUser.map((fcmTokens, i) => ({
    id: String(firstUserId + i),
    name: `Person ${i}`,
    avatar: null,
    fcmTokens,
  }));
  return {
    users,
    conversations: [
      { id: conversationId, name: conversationId, avatar: null, members: users.map((u) => u.id) },
    ],
  };
}

async function tokensOf(userId: string): Promise<string[]> {
  const { rows } = await database.db.execute<{ fcmToken: string[] }>(
    'SELECT fcmToken FROM `User` WHERE id = ?',
    [userId],
  );
  return rows[0]?.fcmToken ?? [];
}

const ringData = (conversationId: string) =>
  groupCallInitiatePushData({
    callerId: '1',
    conversationId,
    callType: 'audio',
    callerInfo: { id: 1, name: 'Alice', avatar: null },
    conversationInfo: { id: conversationId, name: 'Group', avatar: null },
  });

beforeAll(async () => {
  database = await startPlanetScaleDatabase();
  directory = new PlanetScaleDirectory({ url: database.url });
}, 60_000);

afterAll(() => database?.stop());

beforeEach(async () => {
  fcm = await startFakeFcm();
  firebase = createFirebaseMessaging(fcm.firebaseOptions);
  batchSizes = [];
  sender = newSender();
});

afterEach(async () => {
  await sender.idle();
  await firebase.close();
  await fcm.stop();
});

describe('FcmPushSender', () => {
  it('rings every other member of a 500-member group, in batches of at most 500, with the original fields', async () => {
    const tokens = Array.from({ length: 500 }, (_, i) => [`hall-${i}-phone`, `hall-${i}-tablet`]);
    await seedDirectory(database.db, group('all-hands', 20_000, tokens));

    const call = await initiateGroupCall(
      { directory, notifier: noNotifier, push: sender },
      { callerId: '20000', conversationId: 'all-hands', callType: 'video' },
    );
    await sender.idle();

    // 499 members besides the caller, two devices each.
    expect(batchSizes).toEqual([500, 498]);
    expect(sender.metrics()).toEqual({ sent: 998, failed: 0, retried: 0, pruned: 0 });
    const delivered = fcm.delivered();
    expect(new Set(delivered.map((r) => r.token)).size).toBe(998);
    expect(delivered.some((r) => r.token.startsWith('hall-0-'))).toBe(false);

    const expectedData = groupCallInitiatePushData({ callerId: '20000', ...call });
    expect(expectedData).toMatchObject({
      type: 'group_call_initiate',
      success: 'true',
      conversationId: 'all-hands',
    });
    for (const { message } of delivered) expect(message.data).toEqual(expectedData);

    // The FCM v1 wire format firebase-admin produced from our options.
    const { android, apns } = delivered[0]?.message ?? {};
    expect(android).toEqual({ priority: 'high', ttl: '60s', collapse_key: 'all-hands' });
    expect(apns?.headers).toMatchObject({
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-collapse-id': 'all-hands',
    });
    expect(apns?.payload).toEqual({
      aps: {
        alert: { title: call.conversationInfo.name, body: expectedData.body },
        sound: 'default',
        'content-available': 1,
      },
    });
  }, 30_000);

  it('removes tokens FCM reports unregistered or invalid from the database, and keeps the others', async () => {
    await seedDirectory(
      database.db,
      group('pruning', 30_000, [['alive-1', 'gone-1'], ['gone-2'], ['alive-3', 'malformed-3']]),
    );
    fcm.unregister('gone-1', 'gone-2');
    fcm.invalidate('malformed-3');
    const metrics = new Metrics({ processMetrics: false });
    sender = newSender({ counters: metrics.push });

    const { members } = await directory.conversationMembers('pruning');
    const data = ringData('pruning');
    sender.send(members.map((m) => ({ userId: m.id, tokens: m.fcmTokens, data })));
    await sender.idle();

    expect(sender.metrics()).toEqual({ sent: 2, failed: 3, retried: 0, pruned: 3 });
    // On /metrics the failures say why: these devices are gone, not FCM.
    expect(await metrics.registry.metrics()).toContain('groupcall_push_failed_total{reason="dead-token"} 3');
    expect(await tokensOf('30000')).toEqual(['alive-1']);
    expect(await tokensOf('30001')).toEqual([]);
    expect(await tokensOf('30002')).toEqual(['alive-3']);
  });

  it('retries transient failures with backoff until they succeed', async () => {
    fcm.failNext('flaky-internal', 2, 'internal');
    fcm.failNext('flaky-quota', 1, 'quota-exceeded');
    const data = ringData('flaky');
    sender.send([
      { userId: '1', tokens: ['flaky-internal', 'steady'], data },
      { userId: '2', tokens: ['flaky-quota'], data },
    ]);
    await sender.idle();

    expect(sender.metrics()).toEqual({ sent: 3, failed: 0, retried: 3, pruned: 0 });
    const attempts = (token: string) => fcm.received.filter((r) => r.token === token).map((r) => r.outcome);
    expect(attempts('flaky-internal')).toEqual(['internal', 'internal', 'delivered']);
    expect(attempts('flaky-quota')).toEqual(['quota-exceeded', 'delivered']);
    expect(attempts('steady')).toEqual(['delivered']);
    // Only the failed tokens were sent again.
    expect(batchSizes).toEqual([3, 2, 1]);
  });

  it('leaves a single 503 to firebase-admin, which retries it at once itself', async () => {
    fcm.failNext('blip', 1, 'unavailable');
    sender.send([{ userId: '1', tokens: ['blip'], data: ringData('blip') }]);
    await sender.idle();
    expect(fcm.received.map((r) => r.outcome)).toEqual(['unavailable', 'delivered']);
    expect(sender.metrics()).toMatchObject({ sent: 1, retried: 0 });
  });

  it('gives up after the configured number of attempts and keeps the token', async () => {
    const metrics = new Metrics({ processMetrics: false });
    sender = newSender({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, counters: metrics.push });
    fcm.failNext('down', 10, 'internal');
    sender.send([{ userId: '1', tokens: ['down'], data: ringData('down') }]);
    await sender.idle();
    expect(fcm.received.filter((r) => r.token === 'down')).toHaveLength(3);
    expect(sender.metrics()).toEqual({ sent: 0, failed: 1, retried: 2, pruned: 0 });
    expect(await metrics.registry.metrics()).toContain('groupcall_push_failed_total{reason="transient"} 1');
  });

  it('never blocks the caller: send() returns while FCM has not answered yet', async () => {
    const release = fcm.hold();
    const data = ringData('slow');
    const messages: PushMessage[] = Array.from({ length: 50 }, (_, i) => ({
      userId: String(i),
      tokens: [`slow-${i}`],
      data,
    }));

    const result = sender.send(messages);
    expect(result).toBeUndefined();
    // Not even the SDK's synchronous part (copying and validating) ran inside send().
    expect(batchSizes).toEqual([]);
    expect(sender.metrics().sent).toBe(0);
    // Every request reached FCM and is waiting for its answer.
    await waitUntil(async () => fcm.received.length === 50, {
      description: 'FCM received all 50 sends',
      timeoutMs: 10_000,
    });
    expect(sender.metrics().sent).toBe(0);

    release();
    await sender.idle();
    expect(sender.metrics().sent).toBe(50);
  });

  it('survives a token store that fails: the error is logged, not thrown', async () => {
    sender = newSender({
      tokenStore: {
        removeFcmTokens: () => Promise.reject(new Error('database down')),
      },
    });
    fcm.unregister('dead');
    sender.send([{ userId: '1', tokens: ['dead'], data: ringData('store-down') }]);
    await sender.idle();
    expect(sender.metrics()).toEqual({ sent: 0, failed: 1, retried: 0, pruned: 0 });
  });

  it('sends stop-ringing pushes: "missed" as a visible alert, "ended" as a background push', async () => {
    const conversationInfo = { id: 'stop', name: 'Stop Group', avatar: null };
    const callerInfo = { id: 1, name: 'Alice', avatar: null };
    sender.send([
      {
        userId: '2',
        tokens: ['missed-device'],
        data: stopRingingPushData({ conversationId: 'stop', reason: 'missed', conversationInfo, callerInfo }),
      },
      {
        userId: '3',
        tokens: ['other-device'],
        data: stopRingingPushData({ conversationId: 'stop', reason: 'answered', conversationInfo }),
      },
    ]);
    await sender.idle();

    const byToken = new Map(fcm.delivered().map((r) => [r.token, r.message]));
    const missed = byToken.get('missed-device');
    expect(missed?.data).toMatchObject({
      type: 'group_call_missed',
      reason: 'missed',
      conversationId: 'stop',
    });
    expect(missed?.apns?.headers).toMatchObject({ 'apns-push-type': 'alert', 'apns-collapse-id': 'stop' });
    const ended = byToken.get('other-device');
    expect(ended?.data).toMatchObject({
      type: 'group_call_ended',
      reason: 'answered',
      conversationId: 'stop',
    });
    expect(ended?.apns?.headers).toMatchObject({ 'apns-push-type': 'background', 'apns-priority': '5' });
    expect(ended?.apns?.payload).toEqual({ aps: { 'content-available': 1 } });
  });
});

import { describe, expect, it } from 'vitest';
import { fcmMessageFor } from '../../src/push/fcm-message.ts';
import { groupCallInitiatePushData } from '../../src/push/push.ts';
import { stopRingingPushData } from '../../src/push/stop-ringing.ts';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const nowSeconds = now / 1000;
const conversationInfo = { id: 'g1', name: 'Climbing', avatar: null };
const callerInfo = { id: 42, name: 'Alice', avatar: 'https://example.test/a.png' };
const ring = groupCallInitiatePushData({
  callerId: '42',
  conversationId: 'g1',
  callType: 'video',
  callerInfo,
  conversationInfo,
});

describe('fcmMessageFor', () => {
  it('sends a ring as high-priority data on Android and an immediate alert on iOS, both expiring with the ring', () => {
    expect(fcmMessageFor(ring, { ringTtlSeconds: 45, now })).toEqual({
      data: ring,
      android: { priority: 'high', ttl: 45_000, collapseKey: 'g1' },
      apns: {
        headers: {
          'apns-push-type': 'alert',
          'apns-priority': '10',
          'apns-expiration': String(nowSeconds + 45),
          'apns-collapse-id': 'g1',
        },
        payload: {
          aps: {
            alert: { title: 'Climbing', body: 'Alice is calling' },
            sound: 'default',
            contentAvailable: true,
          },
        },
      },
    });
  });

  it('replaces the ring with a silent missed-call alert that lives a day', () => {
    const missed = stopRingingPushData({
      conversationId: 'g1',
      reason: 'missed',
      conversationInfo,
      callerInfo,
    });
    const message = fcmMessageFor(missed, { ringTtlSeconds: 45, now });
    expect(message.android).toEqual({ priority: 'high', ttl: 86_400_000, collapseKey: 'g1' });
    expect(message.apns?.headers).toEqual({
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-expiration': String(nowSeconds + 86_400),
      'apns-collapse-id': 'g1',
    });
    expect(message.apns?.payload?.aps).toEqual({
      alert: { title: 'Climbing', body: 'Missed group call from Alice' },
      contentAvailable: true,
    });
  });

  it('sends "call ended" as a background push (priority 5, as APNs requires)', () => {
    const ended = stopRingingPushData({ conversationId: 'g1', reason: 'ended', conversationInfo });
    const message = fcmMessageFor(ended, { ringTtlSeconds: 45, now });
    expect(message.android).toEqual({ priority: 'high', ttl: 45_000, collapseKey: 'g1' });
    expect(message.apns).toEqual({
      headers: {
        'apns-push-type': 'background',
        'apns-priority': '5',
        'apns-expiration': String(nowSeconds + 45),
      },
      payload: { aps: { contentAvailable: true } },
    });
  });

  it('leaves out apns-collapse-id when the conversation id is longer than APNs allows (64 bytes)', () => {
    const longId = 'x'.repeat(65);
    const message = fcmMessageFor({ ...ring, conversationId: longId }, { ringTtlSeconds: 45, now });
    expect(message.apns?.headers).not.toHaveProperty('apns-collapse-id');
    expect(message.android?.collapseKey).toBe(longId);
  });
});

describe('stopRingingPushData', () => {
  it('has the shape of the original push: flat strings plus a JSON data string', () => {
    expect(
      stopRingingPushData({ conversationId: 'g1', reason: 'missed', conversationInfo, callerInfo }),
    ).toEqual({
      type: 'group_call_missed',
      success: 'true',
      title: 'Climbing',
      body: 'Missed group call from Alice',
      message: 'Missed group call from Alice',
      conversationId: 'g1',
      reason: 'missed',
      data: JSON.stringify({ conversationId: 'g1', reason: 'missed', conversationInfo, callerInfo }),
    });
  });

  it('is a group_call_ended for every other reason', () => {
    const bodies = (['declined', 'answered', 'ended'] as const).map((reason) => {
      const data = stopRingingPushData({ conversationId: 'g1', reason, conversationInfo });
      expect(data.type).toBe('group_call_ended');
      expect(JSON.parse(data.data ?? '')).toEqual({ conversationId: 'g1', reason, conversationInfo });
      return data.body;
    });
    expect(bodies).toEqual(['Declined on another device', 'Answered on another device', 'Call ended']);
  });
});

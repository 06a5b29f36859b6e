import type { MulticastMessage } from 'firebase-admin/messaging';

/**
 * How each kind of call push is delivered, given its data (always sent
 * unchanged as the FCM `data` payload, which the app reads).
 *
 * Android: data-only messages with priority "high", so they wake the device
 * from Doze at once and the app shows its own call UI. A TTL drops a ring
 * that could not be delivered in time, and a collapse key per conversation
 * lets a later "stop ringing" push replace a ring still waiting for an
 * offline device.
 *
 * iOS (APNs headers): a ring is a visible notification, apns-push-type
 * "alert" with apns-priority 10 (deliver immediately). The alternatives fail
 * for a ring: "background" (data only, content-available) must use priority
 * 5 and is throttled and may be dropped by iOS; "voip" needs a PushKit token
 * and a `.voip` topic, which an FCM registration token is not. So the alert
 * carries the title and body of the original push, a sound, and
 * content-available so the app also gets the data. A missed call replaces
 * the ring's notification (same apns-collapse-id); "call ended" goes as a
 * background push for the app to dismiss its UI, since there is nothing to
 * show.
 */

export const PushType = {
  ring: 'group_call_initiate',
  missed: 'group_call_missed',
  ended: 'group_call_ended',
} as const;

/** A message for sendEachForMulticast, minus the tokens. */
export type FcmMessageBase = Omit<MulticastMessage, 'tokens'>;

export interface FcmMessageOptions {
  /** How long a ring (and its "ended") stays deliverable: about the ring timeout. */
  ringTtlSeconds: number;
  /** Now, in ms since the epoch (APNs expiry is an absolute time). */
  now: number;
}

/** A missed call is still worth showing later: the notification lives a day. */
const MISSED_TTL_SECONDS = 24 * 60 * 60;

export function fcmMessageFor(data: Record<string, string>, options: FcmMessageOptions): FcmMessageBase {
  const collapseKey = data.conversationId;
  const collapseId = apnsCollapseId(collapseKey);
  const expiration = (ttlSeconds: number) => String(Math.floor(options.now / 1000) + ttlSeconds);
  const alert = { title: data.title ?? '', body: data.body ?? '' };

  switch (data.type) {
    case PushType.ring:
      return {
        data,
        android: { priority: 'high', ttl: options.ringTtlSeconds * 1000, collapseKey },
        apns: {
          headers: {
            'apns-push-type': 'alert',
            'apns-priority': '10',
            'apns-expiration': expiration(options.ringTtlSeconds),
            ...(collapseId ? { 'apns-collapse-id': collapseId } : {}),
          },
          payload: { aps: { alert, sound: 'default', contentAvailable: true } },
        },
      };
    case PushType.missed:
      return {
        data,
        android: { priority: 'high', ttl: MISSED_TTL_SECONDS * 1000, collapseKey },
        apns: {
          headers: {
            'apns-push-type': 'alert',
            'apns-priority': '10',
            'apns-expiration': expiration(MISSED_TTL_SECONDS),
            ...(collapseId ? { 'apns-collapse-id': collapseId } : {}),
          },
          payload: { aps: { alert, contentAvailable: true } },
        },
      };
    default:
      // group_call_ended, and any other data push: nothing to show on iOS.
      return {
        data,
        android: { priority: 'high', ttl: options.ringTtlSeconds * 1000, collapseKey },
        apns: {
          headers: {
            'apns-push-type': 'background',
            'apns-priority': '5',
            'apns-expiration': expiration(options.ringTtlSeconds),
          },
          payload: { aps: { contentAvailable: true } },
        },
      };
  }
}

/** APNs caps apns-collapse-id at 64 bytes; longer conversation ids go without one. */
function apnsCollapseId(conversationId: string | undefined): string | undefined {
  if (!conversationId || Buffer.byteLength(conversationId) > 64) return undefined;
  return conversationId;
}

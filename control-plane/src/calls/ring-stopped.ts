import type { UserNotifier } from '@groupcall/shared/calls';
import type { UserRecord } from '@groupcall/shared/directory';
import type { CallerInfo, ConversationInfo, RingStopReason } from '@groupcall/shared/protocol';
import type { Metrics } from '../metrics/metrics.ts';
import type { PushSender } from '../push/push.ts';
import { stopRingingPushData } from '../push/stop-ringing.ts';

export interface RingStoppedDeps {
  notifier: UserNotifier;
  push: PushSender;
  metrics: Metrics;
}

export interface RingStop {
  conversationId: string;
  callId: string;
  reason: RingStopReason;
  conversationInfo: ConversationInfo;
  /** Who was calling; names the caller in a missed-call notification. */
  callerInfo?: CallerInfo | undefined;
}

/**
 * Tells members' devices to stop ringing: `group_call_ring_stopped` to every
 * connected device, and a data push to every registered one (a phone that
 * rang from a push may have no socket). Only for members the call-state
 * store just took off the ringing list, so each member is told once.
 */
export function sendRingStopped(deps: RingStoppedDeps, stop: RingStop, members: readonly UserRecord[]): void {
  if (members.length === 0) return;
  const { conversationId, callId, reason } = stop;
  deps.notifier.notifyUsers(
    members.map((m) => m.id),
    'group_call_ring_stopped',
    { conversationId, reason, callId },
  );
  const data = stopRingingPushData(stop);
  deps.push.send(
    members.filter((m) => m.fcmTokens.length > 0).map((m) => ({ userId: m.id, tokens: m.fcmTokens, data })),
  );
  deps.metrics.ringStops.inc({ reason }, members.length);
}

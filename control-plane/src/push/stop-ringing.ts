import type { CallerInfo, ConversationInfo, RingStopReason } from '@groupcall/shared/protocol';

/**
 * The push that tells a user's devices to stop ringing: sent when the call
 * ends, when the user declines or answers on another device, and when
 * nobody answers in time. A device that rang because of a push may have no
 * socket (the app was in the background), so the socket event
 * group_call_ring_stopped alone cannot reach it.
 *
 * Same shape as the original group_call_initiate push (flat strings plus a
 * JSON `data` string) so clients parse both the same way:
 * - type 'group_call_missed' for an unanswered ring (show a missed call);
 * - type 'group_call_ended' otherwise (just dismiss the ringing UI);
 * - `reason` says which of declined | answered | ended | missed it was.
 */
export function stopRingingPushData(stop: {
  conversationId: string;
  /** Additive: the call that stopped ringing. */
  callId?: string;
  reason: RingStopReason;
  conversationInfo: ConversationInfo;
  /** Who was calling: names the caller in a missed-call notification. */
  callerInfo?: CallerInfo;
}): Record<string, string> {
  const text = stopRingingText(stop.reason, stop.callerInfo);
  return {
    type: stop.reason === 'missed' ? 'group_call_missed' : 'group_call_ended',
    success: 'true',
    title: stop.conversationInfo.name,
    body: text,
    message: text,
    conversationId: stop.conversationId,
    reason: stop.reason,
    ...(stop.callId ? { callId: stop.callId } : {}),
    data: JSON.stringify({
      conversationId: stop.conversationId,
      ...(stop.callId ? { callId: stop.callId } : {}),
      reason: stop.reason,
      conversationInfo: stop.conversationInfo,
      ...(stop.callerInfo ? { callerInfo: stop.callerInfo } : {}),
    }),
  };
}

function stopRingingText(reason: RingStopReason, caller: CallerInfo | undefined): string {
  switch (reason) {
    case 'missed':
      return caller ? `Missed group call from ${caller.name}` : 'Missed group call';
    case 'declined':
      return 'Declined on another device';
    case 'answered':
      return 'Answered on another device';
    case 'ended':
      return 'Call ended';
  }
}

import type { CallState } from '@groupcall/shared/call-state';
import type { CallEvent } from './call-events.ts';

/** The webhook events of a call, built from its call state. */

const iso = (ms: number) => new Date(ms).toISOString();

export function callStartedEvent(call: CallState): CallEvent {
  const { callId, conversationId, callType, startedBy, startedAt } = call;
  return {
    type: 'call.started',
    data: { callId, conversationId, callType, startedBy, startedAt: iso(startedAt) },
  };
}

export function callEndedEvent(call: CallState, endedAt: number, reason: string): CallEvent {
  const { callId, conversationId, startedAt } = call;
  return {
    type: 'call.ended',
    data: {
      callId,
      conversationId,
      startedAt: iso(startedAt),
      endedAt: iso(endedAt),
      durationMs: Math.max(0, endedAt - startedAt),
      peakParticipants: call.peakParticipantCount,
      reason,
    },
  };
}

export function ringMissedEvent(call: CallState, userId: string): CallEvent {
  const { callId, conversationId, startedBy } = call;
  return { type: 'ring.missed', data: { callId, conversationId, userId, callerId: startedBy } };
}

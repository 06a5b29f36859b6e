import type { CallLifecycleDeps } from './call-answered.ts';

export interface ParticipantChange {
  conversationId: string;
  callId: string;
  change: 'joined' | 'left';
  userId: string;
  socketId: string;
}

/**
 * A pod reports that a device entered or left a call's room: the app backend
 * hears participant.joined / participant.left. Only for the conversation's
 * current call: a report that arrives after its call ended (a retried
 * "left") is dropped, so no event of a call follows its call.ended.
 *
 * Pods reach it through POST /internal/v1/calls/{id}/participants/{joined|left}.
 */
export async function participantChanged(
  deps: Pick<CallLifecycleDeps, 'callState' | 'callEvents' | 'logger'>,
  report: ParticipantChange,
): Promise<void> {
  const { conversationId, callId, change, userId, socketId } = report;
  const call = await deps.callState.get(conversationId);
  if (call?.callId !== callId) {
    deps.logger.info({ conversationId, callId, change }, 'participant report for a call that has ended');
    return;
  }
  await deps.callEvents.publish({
    type: change === 'joined' ? 'participant.joined' : 'participant.left',
    data: { callId, conversationId, userId, socketId },
  });
}

import type { EndedCall } from '@groupcall/shared/call-state';
import type { ControlPlaneDeps } from '../deps.ts';
import { callEndedEvent } from '../webhooks/call-event-of.ts';
import { sendRingStopped } from './ring-stopped.ts';

export type FinishCallDeps = Pick<
  ControlPlaneDeps,
  'directory' | 'notifier' | 'push' | 'metrics' | 'config' | 'placement' | 'logger' | 'clock' | 'callEvents'
>;

/** Why a call ended, for the logs. */
export type EndCause = 'room-emptied' | 'nobody-entered' | 'all-declined' | 'pod-lost';

/**
 * What happens once when a call ends, by whoever ended it in the call-state
 * store (only one caller gets the EndedCall): every member hears
 * `group_call_ended`, members still ringing stop ('ended', socket and push),
 * the placement is released, and the app backend hears call.ended. With `podName` only if the call is still
 * placed there, so a late report cannot unplace a newer call.
 */
export async function finishCall(
  deps: FinishCallDeps,
  ended: EndedCall,
  cause: EndCause,
  podName?: string,
): Promise<void> {
  const { call, stillRinging } = ended;
  const { conversationId, callId } = call;
  deps.notifier.notifyUsers(call.memberIds, 'group_call_ended', { conversationId, callId });
  if (stillRinging.length > 0) {
    const ringing = new Set(stillRinging);
    const { members } = await deps.directory.conversationMembers(conversationId);
    sendRingStopped(
      deps,
      { conversationId, callId, reason: 'ended', conversationInfo: call.conversationInfo },
      members.filter((m) => ringing.has(m.id)),
    );
  }
  await deps.placement.release(conversationId, podName);
  const endedAt = deps.clock.now();
  await deps.callEvents.publish(callEndedEvent(call, endedAt, cause));
  deps.logger.info(
    {
      conversationId,
      callId,
      cause,
      stoppedRinging: stillRinging.length,
      durationMs: endedAt - call.startedAt,
    },
    'call ended',
  );
}

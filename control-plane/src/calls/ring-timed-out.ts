import type { RingDeadline } from '../lifecycle/ring-deadlines.ts';
import { ringMissedEvent } from '../webhooks/call-event-of.ts';
import type { CallLifecycleDeps } from './call-answered.ts';
import { callerInfoOf } from './call-info.ts';
import { finishCall } from './finish-call.ts';
import { sendRingStopped } from './ring-stopped.ts';

/**
 * A call's ring deadline passed: every member still ringing missed the call
 * and their devices are told so ('missed', naming the caller). A call that
 * nobody is in by now (a caller whose app died, a join that never entered
 * the room) ends, so it cannot keep the conversation from ringing again.
 */
export async function ringTimedOut(deps: CallLifecycleDeps, deadline: RingDeadline): Promise<void> {
  const { conversationId, callId } = deadline;
  const missed = new Set(await deps.callState.stopRinging(conversationId, callId, undefined, 'missed'));
  if (missed.size > 0) {
    const [call, { members }] = await Promise.all([
      deps.callState.get(conversationId),
      deps.directory.conversationMembers(conversationId),
    ]);
    if (call) {
      const caller = members.find((m) => m.id === call.startedBy);
      sendRingStopped(
        deps,
        {
          conversationId,
          callId,
          reason: 'missed',
          conversationInfo: call.conversationInfo,
          callerInfo: callerInfoOf(call.startedBy, caller, deps.config.avatarBaseUrl),
        },
        members.filter((m) => missed.has(m.id)),
      );
      for (const userId of missed) await deps.callEvents.publish(ringMissedEvent(call, userId));
    }
    deps.logger.info(
      { conversationId, callId, missed: missed.size },
      'ring timed out; members missed the call',
    );
  }
  const ended = await deps.callState.endIfAbandoned(conversationId, callId, { evenIfAccepted: true });
  if (ended) await finishCall(deps, ended, 'nobody-entered');
}

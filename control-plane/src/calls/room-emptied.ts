import type { CallLifecycleDeps } from './call-answered.ts';
import { finishCall } from './finish-call.ts';

/**
 * A pod reports that the call's media room emptied (after its grace period):
 * the call is over. It is forgotten (GET /v1/calls/{id} shows no call), its
 * members hear `group_call_ended`, and its placement is released. A report
 * for an earlier call (retried late) leaves a newer call in the conversation
 * alone, placement included. Safe to repeat.
 *
 * The embedded single-process mode calls this directly; pods reach it
 * through POST /internal/v1/calls/{id}/ended.
 */
export async function roomEmptied(
  deps: CallLifecycleDeps,
  report: { conversationId: string; callId: string | undefined; podName: string | undefined },
): Promise<void> {
  const { conversationId, callId, podName } = report;
  const ended = await deps.callState.end(conversationId, callId);
  if (ended) {
    await finishCall(deps, ended, 'room-emptied', podName);
    return;
  }
  // Already ended (by a ring timeout, a lost pod): only a leftover placement to drop.
  if (!(await deps.callState.get(conversationId))) await deps.placement.release(conversationId, podName);
  deps.logger.info({ conversationId, callId }, 'room emptied for a call that had already ended');
}

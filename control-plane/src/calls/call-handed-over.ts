import type { ControlPlaneDeps } from '../deps.ts';
import type { CallLifecycleDeps } from './call-answered.ts';

export type CallHandedOverDeps = CallLifecycleDeps & Pick<ControlPlaneDeps, 'ringDeadlines'>;

/**
 * A draining pod gave a call up at its deadline (pod shutdown): the call is
 * not over, its devices were told to rejoin (`callInterrupted`,
 * `server-shutdown`) and the next admission places it on another pod. Its
 * placement on the old pod is dropped, and the call gets a deadline one ring
 * timeout away: if nobody has entered it again by then, it ends as a call
 * nobody entered does (members hear `group_call_ended`). A report for
 * another call than the conversation's current one changes nothing. Safe
 * to repeat.
 *
 * Pods reach it through POST /internal/v1/calls/{id}/handed-over.
 */
export async function callHandedOver(
  deps: CallHandedOverDeps,
  report: { conversationId: string; callId: string; podName: string | undefined },
): Promise<void> {
  const { conversationId, callId, podName } = report;
  await deps.placement.release(conversationId, podName);
  const call = await deps.callState.get(conversationId);
  if (call?.callId !== callId) {
    deps.logger.info({ conversationId, callId }, 'handed-over report for a call that is no longer active');
    return;
  }
  // Never earlier than the call's own ring deadline, which this one replaces.
  await deps.ringDeadlines.schedule({ conversationId, callId }, deps.clock.now() + deps.config.ringTimeoutMs);
  deps.logger.info(
    { conversationId, callId, podName },
    'call handed over by a draining pod: it moves on rejoin',
  );
}

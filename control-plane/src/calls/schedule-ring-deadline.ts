import type { CallState } from '@groupcall/shared/call-state';
import type { ControlPlaneDeps } from '../deps.ts';

/**
 * Every new call gets a ring deadline, also one that rings nobody: when it
 * passes, whoever still rings missed the call, and a call nobody entered ends.
 */
export async function scheduleRingDeadline(
  deps: Pick<ControlPlaneDeps, 'ringDeadlines' | 'config'>,
  call: Pick<CallState, 'conversationId' | 'callId' | 'startedAt'>,
): Promise<void> {
  await deps.ringDeadlines.schedule(
    { conversationId: call.conversationId, callId: call.callId },
    call.startedAt + deps.config.ringTimeoutMs,
  );
}

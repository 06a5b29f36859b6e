import type { LostCall } from '../placement/placement.ts';
import type { CallLifecycleDeps } from './call-answered.ts';
import { finishCall } from './finish-call.ts';

/**
 * The pod hosting a call stopped heartbeating (killed, crashed): its media is
 * gone, so the call ends and its members are told; the next POST /v1/calls
 * in the conversation starts (and rings) a new call on a live pod.
 */
export async function callLost(deps: CallLifecycleDeps, lost: LostCall): Promise<void> {
  const ended = await deps.callState.end(lost.conversationId, lost.callId);
  if (ended) await finishCall(deps, ended, 'pod-lost', lost.podName);
  else await deps.placement.release(lost.conversationId, lost.podName);
}

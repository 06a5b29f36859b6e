import type { CallStatus } from '@groupcall/shared/protocol';
import type { ControlPlaneDeps } from '../deps.ts';
import { requireMember } from './membership.ts';

/**
 * GET /v1/calls/{conversationId}: is a call going on (the "Join call" banner
 * after an app restart), which one, and where each rung member stands.
 */
export async function callStatus(
  deps: Pick<ControlPlaneDeps, 'directory' | 'callState'>,
  request: { userId: string; conversationId: string },
): Promise<CallStatus> {
  const { userId, conversationId } = request;
  await requireMember(deps, conversationId, userId);
  const call = await deps.callState.get(conversationId);
  if (!call)
    return {
      conversationId,
      active: false,
      callType: null,
      startedAt: null,
      participants: 0,
      callId: null,
      members: [],
    };
  return {
    conversationId,
    active: true,
    callType: call.callType,
    startedAt: new Date(call.startedAt).toISOString(),
    participants: call.participantCount,
    callId: call.callId,
    members: call.memberIds.flatMap((id) => {
      const ring = call.ring[id];
      return ring ? [{ userId: id, ring }] : [];
    }),
  };
}

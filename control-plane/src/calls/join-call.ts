import { CallError, conversationInfoOf, participantInfoOf } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import type { ControlPlaneDeps } from '../deps.ts';
import { admit } from './admit.ts';
import { requireMember } from './membership.ts';
import { sendRingStopped } from './ring-stopped.ts';
import type { CallTicketResponse } from './schemas.ts';

export type JoinCallDeps = Pick<
  ControlPlaneDeps,
  'directory' | 'callState' | 'placement' | 'tickets' | 'notifier' | 'push' | 'metrics' | 'config'
>;

/**
 * A member joins the active call: the endpoint of the pod hosting it and a
 * ticket. If the member's devices were ringing, they stop ('answered').
 */
export async function joinCall(
  deps: JoinCallDeps,
  request: { userId: string; conversationId: string },
  log: Logger,
): Promise<CallTicketResponse> {
  const { userId, conversationId } = request;
  const { conversation, member } = await requireMember(deps, conversationId, userId);
  const call = await deps.callState.get(conversationId);
  if (!call) throw new CallError('not-found', 'No active call in this conversation');

  const { avatarBaseUrl } = deps.config;
  const admission = await admit(deps, call, participantInfoOf(userId, member, avatarBaseUrl));
  const answered = await deps.callState.stopRinging(conversationId, [userId]);
  if (answered.length > 0) {
    const conversationInfo = conversationInfoOf(conversationId, conversation, avatarBaseUrl);
    sendRingStopped(deps, { conversationId, reason: 'answered', conversationInfo }, [member]);
  }
  log.info({ conversationId, wasRinging: answered.length > 0 }, 'member joined the call');
  return admission;
}

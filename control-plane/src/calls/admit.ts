import type { CallAdmission, ParticipantInfo } from '@groupcall/shared/protocol';
import type { ControlPlaneDeps } from '../deps.ts';

/**
 * What a member needs to enter a call's media room: the endpoint of the pod
 * hosting the call (assigned now if it has none), a ticket for that pod and
 * that call, and TURN servers with the member's own short-lived credentials.
 */
export async function admit(
  deps: Pick<ControlPlaneDeps, 'placement' | 'tickets' | 'config'>,
  call: { conversationId: string; callId: string; callType: CallAdmission['callType'] },
  participantInfo: ParticipantInfo,
): Promise<CallAdmission> {
  const { conversationId, callId, callType } = call;
  const endpoint = await deps.placement.assign(conversationId);
  const { ticket } = await deps.tickets.sign({
    userId: participantInfo.userId,
    conversationId,
    callId,
    podName: endpoint.podName,
    participantInfo,
  });
  const iceServers = deps.config.turn?.iceServersFor(participantInfo.userId) ?? [];
  return {
    conversationId,
    callId,
    callType,
    endpoint: { url: endpoint.url, path: endpoint.path },
    ticket,
    iceServers,
  };
}

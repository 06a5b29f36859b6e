import type { CallAdmission, ParticipantInfo } from '@groupcall/shared/protocol';
import type { ControlPlaneDeps } from '../deps.ts';

/**
 * What a member needs to enter a call's media room: the endpoint of the pod
 * hosting the call (assigned now if it has none) and a ticket for that pod.
 */
export async function admit(
  deps: Pick<ControlPlaneDeps, 'placement' | 'tickets'>,
  call: { conversationId: string; callType: CallAdmission['callType'] },
  participantInfo: ParticipantInfo,
): Promise<CallAdmission> {
  const { conversationId, callType } = call;
  const endpoint = await deps.placement.assign(conversationId);
  const { ticket } = await deps.tickets.sign({
    userId: participantInfo.userId,
    conversationId,
    podName: endpoint.podName,
    participantInfo,
  });
  return { conversationId, callType, endpoint: { url: endpoint.url, path: endpoint.path }, ticket };
}

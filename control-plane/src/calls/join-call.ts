import { randomUUID } from 'node:crypto';
import type { Logger } from '@groupcall/shared/logging';
import type { CallAdmission } from '@groupcall/shared/protocol';
import type { ControlPlaneDeps } from '../deps.ts';
import { callStartedEvent } from '../webhooks/call-event-of.ts';
import { admit } from './admit.ts';
import { conversationInfoOf, participantInfoOf } from './call-info.ts';
import { requireMember } from './membership.ts';
import { sendRingStopped } from './ring-stopped.ts';
import { scheduleRingDeadline } from './schedule-ring-deadline.ts';

export type JoinCallDeps = Pick<
  ControlPlaneDeps,
  | 'directory'
  | 'callState'
  | 'placement'
  | 'tickets'
  | 'notifier'
  | 'push'
  | 'metrics'
  | 'config'
  | 'clock'
  | 'ringDeadlines'
  | 'callEvents'
  | 'onlineUsers'
>;

/**
 * A member joins the active call: the endpoint of the pod hosting it and a
 * ticket. If the member's devices were ringing, they stop ('answered').
 *
 * With no active call, joining starts one without ringing anybody: the
 * guide's `createRoom` lets the first member open the room (members then see
 * the "Join call" banner from group_call_started), so a seed-style client
 * that never initiated still gets a call.
 */
export async function joinCall(
  deps: JoinCallDeps,
  request: { userId: string; conversationId: string },
  log: Logger,
): Promise<CallAdmission> {
  const { userId, conversationId } = request;
  const { conversation, member } = await requireMember(deps, conversationId, userId);
  const call =
    (await deps.callState.get(conversationId)) ?? (await openQuietly(deps, conversationId, userId));
  const { avatarBaseUrl } = deps.config;
  const admission = await admit(deps, call, participantInfoOf(userId, member, avatarBaseUrl));
  const { callId } = call;
  const answered = await deps.callState.stopRinging(conversationId, callId, [userId], 'accepted');
  if (answered.length > 0) {
    const conversationInfo = conversationInfoOf(conversationId, conversation, avatarBaseUrl);
    sendRingStopped(deps, { conversationId, callId, reason: 'answered', conversationInfo }, [member]);
  }
  log.info({ conversationId, callId, wasRinging: answered.length > 0 }, 'member joined the call');
  return admission;
}

/**
 * Records a call that nobody is rung for (see joinCall). A concurrent start
 * wins and is returned. Its deadline ends it if nobody enters the room.
 */
async function openQuietly(deps: JoinCallDeps, conversationId: string, userId: string) {
  const { conversation, members } = await deps.directory.conversationMembers(conversationId);
  const { avatarBaseUrl } = deps.config;
  const { call, created } = await deps.callState.start({
    conversationId,
    callId: randomUUID(),
    callType: 'video',
    startedBy: userId,
    startedAt: deps.clock.now(),
    conversationInfo: conversationInfoOf(conversationId, conversation, avatarBaseUrl),
    members: members.map((m) => participantInfoOf(m.id, m, avatarBaseUrl)),
    ringing: [],
  });
  if (created) {
    await scheduleRingDeadline(deps, call);
    await deps.callEvents.publish(callStartedEvent(call));
  }
  return call;
}

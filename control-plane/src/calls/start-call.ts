import { randomUUID } from 'node:crypto';
import type { Logger } from '@groupcall/shared/logging';
import type { CallAdmission, CallType } from '@groupcall/shared/protocol';
import type { ControlPlaneDeps } from '../deps.ts';
import { callStartedEvent } from '../webhooks/call-event-of.ts';
import { admit } from './admit.ts';
import { initiateGroupCall } from './initiate-call.ts';
import { type JoinCallDeps, joinCall } from './join-call.ts';
import { scheduleRingDeadline } from './schedule-ring-deadline.ts';

export type StartCallDeps = JoinCallDeps & Pick<ControlPlaneDeps, 'clock'>;

/**
 * POST /v1/calls: the seed's group_call_initiate (membership check, ring the
 * other members on every device and by push, group_call_started to all),
 * then the call is recorded, its ring timeout set, and the caller admitted.
 *
 * When a call is already active in the conversation nobody is rung again:
 * the caller joins that call (`created: false`).
 */
export async function startCall(
  deps: StartCallDeps,
  request: { userId: string; conversationId: string; callType: CallType },
  log: Logger,
): Promise<{ created: boolean; admission: CallAdmission }> {
  const { userId, conversationId, callType } = request;
  if (await deps.callState.get(conversationId)) {
    return { created: false, admission: await joinCall(deps, request, log) };
  }

  // Made before ringing, so group_call_incoming names the call. (Two members
  // starting at the same moment ring with two ids; the one recorded wins.)
  const callId = randomUUID();
  const initiated = await initiateGroupCall(
    {
      directory: deps.directory,
      notifier: deps.notifier,
      push: deps.push,
      avatarBaseUrl: deps.config.avatarBaseUrl,
    },
    { callerId: userId, conversationId, callType, callId },
  );
  const online = await deps.onlineUsers.whoIsOnline(initiated.withoutPushToken);
  const unreachable = new Set(initiated.withoutPushToken.filter((id) => !online.has(id)));
  // Recorded before admitting: if no pod can take the call, members can
  // still decline and the ring still times out; joining retries placement.
  const { call, created } = await deps.callState.start({
    conversationId,
    callId,
    callType,
    startedBy: userId,
    startedAt: deps.clock.now(),
    // What the sfu-worker needs without a database: who may enter the call
    // without a ticket (seed-style clients), and how to label them.
    conversationInfo: initiated.conversationInfo,
    members: initiated.members,
    // Members no device of whom can ring are `unreachable`: they do not keep the call alive.
    ringing: initiated.memberIds.filter((id) => id !== userId && !unreachable.has(id)),
    unreachable: [...unreachable],
  });
  if (created) {
    await scheduleRingDeadline(deps, call);
    deps.metrics.callsStarted.inc();
    await deps.callEvents.publish(callStartedEvent(call));
  }

  const { name, avatar } = initiated.callerInfo;
  const admission = await admit(deps, call, { userId, name, avatar });
  log.info(
    {
      conversationId,
      callId: call.callId,
      callType: call.callType,
      members: initiated.memberIds.length,
      created,
    },
    created ? 'call started' : 'call started concurrently by another member; joined it',
  );
  return { created, admission };
}

import type { Logger } from '@groupcall/shared/logging';
import type { CallLifecycleDeps } from './call-answered.ts';
import { conversationInfoOf } from './call-info.ts';
import { finishCall } from './finish-call.ts';
import { requireMember } from './membership.ts';
import { sendRingStopped } from './ring-stopped.ts';

/**
 * A member declines: their other devices stop ringing and the caller's
 * devices hear `group_call_declined`. When nobody can still answer (nobody
 * rings, nobody who accepted is on the way) and nobody is in the room, the
 * call ends. Declining again, or when nothing rings (the call ended, the
 * member already answered), does nothing. Returns the id of the call, if one was active.
 */
export async function declineCall(
  deps: CallLifecycleDeps,
  request: { userId: string; conversationId: string },
  log: Logger,
): Promise<string | undefined> {
  const { userId, conversationId } = request;
  const { conversation, member } = await requireMember(deps, conversationId, userId);
  const call = await deps.callState.get(conversationId);
  if (!call) return undefined;
  const { callId } = call;
  const stopped = await deps.callState.stopRinging(conversationId, callId, [userId], 'declined');
  log.info({ conversationId, callId, wasRinging: stopped.length > 0 }, 'member declined the call');
  if (stopped.length === 0) return callId;
  const conversationInfo = conversationInfoOf(conversationId, conversation, deps.config.avatarBaseUrl);
  sendRingStopped(deps, { conversationId, callId, reason: 'declined', conversationInfo }, [member]);
  deps.notifier.notifyUsers([call.startedBy], 'group_call_declined', { conversationId, callId, userId });
  const ended = await deps.callState.endIfAbandoned(conversationId, callId, { evenIfAccepted: false });
  if (ended) await finishCall({ ...deps, logger: log }, ended, 'all-declined');
  return callId;
}

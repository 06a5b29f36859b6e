import type { Logger } from '@groupcall/shared/logging';
import type { ControlPlaneDeps } from '../deps.ts';
import { conversationInfoOf } from './call-info.ts';
import { requireMember } from './membership.ts';
import { sendRingStopped } from './ring-stopped.ts';

/**
 * A member declines: their other devices stop ringing. Declining again, or
 * when nothing rings (the call ended, the member already answered), does
 * nothing.
 */
export async function declineCall(
  deps: Pick<ControlPlaneDeps, 'directory' | 'callState' | 'notifier' | 'push' | 'metrics' | 'config'>,
  request: { userId: string; conversationId: string },
  log: Logger,
): Promise<void> {
  const { userId, conversationId } = request;
  const { conversation, member } = await requireMember(deps, conversationId, userId);
  const stopped = await deps.callState.stopRinging(conversationId, [userId]);
  if (stopped.length > 0) {
    const conversationInfo = conversationInfoOf(conversationId, conversation, deps.config.avatarBaseUrl);
    sendRingStopped(deps, { conversationId, reason: 'declined', conversationInfo }, [member]);
  }
  log.info({ conversationId, wasRinging: stopped.length > 0 }, 'member declined the call');
}

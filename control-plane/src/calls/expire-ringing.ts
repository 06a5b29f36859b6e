import type { Logger } from '@groupcall/shared/logging';
import type { ControlPlaneDeps } from '../deps.ts';
import { callerInfoOf, conversationInfoOf } from './call-info.ts';
import { sendRingStopped } from './ring-stopped.ts';

/**
 * The ring timed out: every member still ringing missed the call, and their
 * devices are told so ('missed', naming the caller). The directory is read
 * only if someone is still ringing (for names and push tokens).
 */
export async function expireRinging(
  deps: Pick<ControlPlaneDeps, 'callState' | 'directory' | 'notifier' | 'push' | 'metrics' | 'config'>,
  conversationId: string,
  log: Logger,
): Promise<void> {
  const missed = new Set(await deps.callState.stopRinging(conversationId));
  if (missed.size === 0) return;
  const [call, { conversation, members }] = await Promise.all([
    deps.callState.get(conversationId),
    deps.directory.conversationMembers(conversationId),
  ]);
  const { avatarBaseUrl } = deps.config;
  const caller = call && members.find((m) => m.id === call.startedBy);
  sendRingStopped(
    deps,
    {
      conversationId,
      reason: 'missed',
      conversationInfo: conversationInfoOf(conversationId, conversation, avatarBaseUrl),
      callerInfo: call && callerInfoOf(call.startedBy, caller, avatarBaseUrl),
    },
    members.filter((m) => missed.has(m.id)),
  );
  log.info({ conversationId, missed: missed.size }, 'ring timed out; members missed the call');
}

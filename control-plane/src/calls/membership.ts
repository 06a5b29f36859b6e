import { CallError } from '@groupcall/shared/calls';
import type { ConversationRecord, UserRecord } from '@groupcall/shared/directory';
import type { ControlPlaneDeps } from '../deps.ts';

/** The conversation and the caller's member record; 404 for no such conversation, 403 for non-members. */
export async function requireMember(
  deps: Pick<ControlPlaneDeps, 'directory'>,
  conversationId: string,
  userId: string,
): Promise<{ conversation: ConversationRecord; member: UserRecord }> {
  const { conversation, member } = await deps.directory.membership(conversationId, userId);
  if (!conversation) throw CallError.unknownConversation();
  if (!member) throw CallError.notInGroup();
  return { conversation, member };
}

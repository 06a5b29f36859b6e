import type { ConversationRecord, UserRecord } from '@groupcall/shared/directory';
import {
  type CallerInfo,
  type ConversationInfo,
  callerInfoId,
  type ParticipantInfo,
} from '@groupcall/shared/protocol';

/**
 * Builds the name/avatar records clients show, from directory records, with
 * the original server's fallbacks ("User 42", "Group Call"). Stored avatars
 * that are paths are resolved against `avatarBaseUrl`; null stays null.
 */
export function avatarUrl(stored: string | null, avatarBaseUrl?: string): string | null {
  if (!stored) return null;
  if (/^https?:\/\//i.test(stored) || !avatarBaseUrl) return stored;
  return new URL(
    stored.replace(/^\/+/, ''),
    avatarBaseUrl.endsWith('/') ? avatarBaseUrl : `${avatarBaseUrl}/`,
  ).href;
}

export function displayName(userId: string, user: Pick<UserRecord, 'name'> | undefined): string {
  return user?.name ?? `User ${userId}`;
}

export function callerInfoOf(
  userId: string,
  user: UserRecord | undefined,
  avatarBaseUrl?: string,
): CallerInfo {
  return {
    id: callerInfoId(userId),
    name: displayName(userId, user),
    avatar: avatarUrl(user?.avatar ?? null, avatarBaseUrl),
  };
}

export function participantInfoOf(
  userId: string,
  user: UserRecord | undefined,
  avatarBaseUrl?: string,
): ParticipantInfo {
  return { userId, name: displayName(userId, user), avatar: avatarUrl(user?.avatar ?? null, avatarBaseUrl) };
}

export function conversationInfoOf(
  conversationId: string,
  conversation: ConversationRecord | undefined,
  avatarBaseUrl?: string,
): ConversationInfo {
  return {
    id: conversationId,
    name: conversation?.name ?? 'Group Call',
    avatar: avatarUrl(conversation?.avatar ?? null, avatarBaseUrl),
  };
}

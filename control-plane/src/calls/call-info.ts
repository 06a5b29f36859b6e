import type { ConversationRecord, UserRecord } from '@groupcall/shared/directory';
import {
  type CallerInfo,
  type ConversationInfo,
  callerInfoId,
  type ParticipantInfo,
} from '@groupcall/shared/protocol';
import { cleanAvatarUrl, cleanDisplayName } from './directory-text.ts';

/**
 * Builds the name/avatar records clients show, from directory records, with
 * the original server's fallbacks ("User 42", "Group Call"). Stored avatars
 * that are paths are resolved against `avatarBaseUrl`; null stays null.
 */
export function avatarUrl(stored: string | null, avatarBaseUrl?: string): string | null {
  if (!stored) return null;
  if (/^https?:\/\//i.test(stored) || !avatarBaseUrl) return cleanAvatarUrl(stored);
  try {
    const base = avatarBaseUrl.endsWith('/') ? avatarBaseUrl : `${avatarBaseUrl}/`;
    return cleanAvatarUrl(new URL(stored.replace(/^\/+/, ''), base).href);
  } catch {
    return null; // a stored path no URL can be made of: no avatar rather than no call
  }
}

export function displayName(userId: string, user: Pick<UserRecord, 'name'> | undefined): string {
  return cleanDisplayName(user?.name, `User ${userId}`);
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
    name: cleanDisplayName(conversation?.name, 'Group Call'),
    avatar: avatarUrl(conversation?.avatar ?? null, avatarBaseUrl),
  };
}

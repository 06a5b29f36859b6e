import type { ConversationRecord, UserRecord } from '@groupcall/shared/directory';

/**
 * The rows the directory's queries select, and how they become directory
 * records. Column aliases in directory-queries.ts match these names.
 */
export interface ConversationRow {
  id: string;
  name: string | null;
  avatar: string | null;
}

export interface UserRow {
  /** INT comes back as a number; a BIGINT id would come back as a string. */
  id: number | string;
  name: string | null;
  avatar: string | null;
  fcmToken: unknown;
}

/** One conversation and, when they are an active member, one user (LEFT JOINs: user columns may be null). */
export interface MembershipRow {
  conversationId: string;
  conversationName: string | null;
  conversationAvatar: string | null;
  userId: number | string | null;
  userName: string | null;
  userAvatar: string | null;
  fcmToken: unknown;
}

export function toConversationRecord(row: ConversationRow): ConversationRecord {
  return { id: row.id, name: row.name, avatar: row.avatar };
}

export function toUserRecord(row: UserRow): UserRecord {
  return { id: String(row.id), name: row.name, avatar: row.avatar, fcmTokens: parseFcmTokens(row.fcmToken) };
}

export function splitMembershipRow(row: MembershipRow): {
  conversation: ConversationRecord;
  member?: UserRecord;
} {
  const conversation = { id: row.conversationId, name: row.conversationName, avatar: row.conversationAvatar };
  if (row.userId === null) return { conversation };
  const member = { id: row.userId, name: row.userName, avatar: row.userAvatar, fcmToken: row.fcmToken };
  return { conversation, member: toUserRecord(member) };
}

/**
 * The `fcmToken` JSON column as a list of distinct tokens. PlanetScale's
 * MySQL returns JSON columns already parsed; MariaDB stores JSON as LONGTEXT,
 * which may arrive as text. Anything that is not an array of strings (NULL,
 * malformed JSON, a bare string) means "no devices", as in the original server.
 */
export function parseFcmTokens(value: unknown): string[] {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(parsed)) return [];
  const tokens = parsed.filter((token): token is string => typeof token === 'string' && token !== '');
  return [...new Set(tokens)];
}

import type { DirectoryData } from '@groupcall/shared/directory';
import type { Database } from '../migrations/run-migrations.ts';

/**
 * Loads directory data (the demo's shared/demo/directory.json, or a test's
 * generated groups) into the User, Conversation and ConversationMember
 * tables. Idempotent: rows are upserted, and members no longer listed for a
 * conversation are marked deleted, as the Threads backend does when someone
 * leaves a group.
 */
export interface SeedReport {
  users: number;
  conversations: number;
  members: number;
}

/** Rows per INSERT: keeps each statement (one HTTP request) well under size limits. */
const ROWS_PER_INSERT = 500;

export async function seedDirectory(db: Database, data: DirectoryData): Promise<SeedReport> {
  for (const user of data.users) assertNumericUserId(user.id, 'user');
  for (const conversation of data.conversations) {
    for (const member of conversation.members) assertNumericUserId(member, `member of ${conversation.id}`);
  }

  await insertRows(
    db,
    'INSERT INTO `User` (`id`, `name`, `avatar`, `fcmToken`)',
    data.users.map((u) => [u.id, u.name, u.avatar, JSON.stringify(u.fcmTokens)]),
    'ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `avatar` = VALUES(`avatar`), `fcmToken` = VALUES(`fcmToken`)',
  );
  await insertRows(
    db,
    'INSERT INTO `Conversation` (`id`, `name`, `avatar`)',
    data.conversations.map((c) => [c.id, c.name, c.avatar]),
    'ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `avatar` = VALUES(`avatar`)',
  );
  let members = 0;
  for (const conversation of data.conversations) {
    await insertRows(
      db,
      'INSERT INTO `ConversationMember` (`conversationId`, `userId`, `isDeleted`)',
      conversation.members.map((userId) => [conversation.id, userId, false]),
      'ON DUPLICATE KEY UPDATE `isDeleted` = FALSE',
    );
    const leftSql =
      conversation.members.length > 0
        ? 'UPDATE `ConversationMember` SET `isDeleted` = TRUE WHERE `conversationId` = ? AND `userId` NOT IN (?)'
        : 'UPDATE `ConversationMember` SET `isDeleted` = TRUE WHERE `conversationId` = ?';
    await db.execute(
      leftSql,
      conversation.members.length > 0 ? [conversation.id, conversation.members] : [conversation.id],
    );
    members += conversation.members.length;
  }
  return { users: data.users.length, conversations: data.conversations.length, members };
}

/** `INSERT … VALUES (?, …), (?, …) …` in chunks; the driver fills the placeholders. */
async function insertRows(
  db: Database,
  insert: string,
  rows: readonly (string | boolean | null)[][],
  onDuplicate: string,
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const tuples = chunk.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
    await db.execute(`${insert} VALUES ${tuples} ${onDuplicate}`, chunk.flat());
  }
}

/** The User table's ids are integers (the Threads schema); say so clearly instead of failing in SQL. */
function assertNumericUserId(id: string, what: string): void {
  if (!/^\d+$/.test(id)) throw new Error(`the ${what} id "${id}" is not numeric: User ids are integers`);
}

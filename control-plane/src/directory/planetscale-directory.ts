import type {
  ConversationMembers,
  ConversationRecord,
  Directory,
  UserRecord,
} from '@groupcall/shared/directory';
import { Client, type Config } from '@planetscale/database';
import type { TokenStore } from '../push/token-store.ts';
import {
  selectActiveMembers,
  selectConversation,
  selectMembership,
  selectTokensForUpdate,
  updateTokens,
} from './directory-queries.ts';
import {
  type ConversationRow,
  type MembershipRow,
  parseFcmTokens,
  splitMembershipRow,
  toConversationRecord,
  toUserRecord,
  type UserRow,
} from './directory-rows.ts';
import { DirectoryUnavailableError } from './directory-unavailable.ts';

/** How long one database request may take before the caller gets a 503 instead of waiting. */
export const defaultDirectoryTimeoutMs = 3_000;

/**
 * The production directory: the Threads database on PlanetScale, over its
 * HTTP API (@planetscale/database), so the control plane holds no database
 * connections and any replica can answer. It is also where dead FCM tokens
 * are removed (TokenStore).
 *
 * User ids are integers in this schema; a user id that is not a decimal
 * integer can be no one's, and is never sent to MySQL (which would read
 * "12abc" as 12).
 */
export class PlanetScaleDirectory implements Directory, TokenStore {
  readonly #client: Client;
  #queryCount = 0;

  /**
   * `config`: the driver's, usually `{ url: DATABASE_URL }`; `timeoutMs`
   * bounds every request to the database (each statement is one).
   */
  constructor(config: Config & { timeoutMs?: number }) {
    const { timeoutMs = defaultDirectoryTimeoutMs, ...driverConfig } = config;
    const fetchImpl = driverConfig.fetch ?? fetch;
    this.#client = new Client({
      ...driverConfig,
      fetch: (input, init) => {
        this.#queryCount += 1;
        // The driver's own request type has no signal, but it hands init to fetch as it is.
        return fetchImpl(input, { ...init, signal: AbortSignal.timeout(timeoutMs) } as typeof init);
      },
    });
  }

  /** Requests sent to the database so far: one per statement, BEGIN and COMMIT included. */
  get queryCount(): number {
    return this.#queryCount;
  }

  /**
   * Two queries whatever the group size, sent together so they cost one
   * round trip of latency. The conversation is read on its own rather than
   * joined, so its name and avatar are not repeated on every member row.
   */
  async conversationMembers(conversationId: string): Promise<ConversationMembers> {
    const [conversations, members] = await unavailableOnFailure(
      Promise.all([
        this.#client.execute<ConversationRow>(selectConversation, { conversationId }),
        this.#client.execute<UserRow>(selectActiveMembers, { conversationId }),
      ]),
    );
    const conversation = conversations.rows[0];
    if (!conversation) return { conversation: undefined, members: [] };
    return { conversation: toConversationRecord(conversation), members: members.rows.map(toUserRecord) };
  }

  /** One query: the conversation, and the user's record if they are an active member. */
  async membership(
    conversationId: string,
    userId: string,
  ): Promise<{ conversation: ConversationRecord | undefined; member: UserRecord | undefined }> {
    const { rows } = await unavailableOnFailure(
      this.#client.execute<MembershipRow>(selectMembership, {
        conversationId,
        userId: isUserId(userId) ? userId : null,
      }),
    );
    const row = rows[0];
    if (!row) return { conversation: undefined, member: undefined };
    const { conversation, member } = splitMembershipRow(row);
    return { conversation, member };
  }

  /**
   * Removes dead tokens from the user's `fcmToken` array. A transaction that
   * locks the row (SELECT … FOR UPDATE) makes the read-modify-write atomic,
   * so two removals at once, or a device registering meanwhile through the
   * Threads backend, cannot undo each other. The rewrite keeps the other
   * tokens in their order.
   */
  async removeFcmTokens(userId: string, tokens: readonly string[]): Promise<number> {
    if (tokens.length === 0 || !isUserId(userId)) return 0;
    const dead = new Set(tokens);
    return unavailableOnFailure(this.#removeFcmTokens(userId, dead));
  }

  #removeFcmTokens(userId: string, dead: ReadonlySet<string>): Promise<number> {
    return this.#client.transaction(async (tx) => {
      const { rows } = await tx.execute<{ fcmToken: unknown }>(selectTokensForUpdate, { userId });
      const row = rows[0];
      if (!row) return 0;
      const current = parseFcmTokens(row.fcmToken);
      const kept = current.filter((token) => !dead.has(token));
      const removed = current.length - kept.length;
      if (removed > 0) await tx.execute(updateTokens, { userId, fcmToken: JSON.stringify(kept) });
      return removed;
    });
  }
}

/** Any failure to get an answer (timeout, network, a database error) is the directory being unavailable. */
async function unavailableOnFailure<T>(query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    throw new DirectoryUnavailableError(error);
  }
}

function isUserId(userId: string): boolean {
  return /^\d{1,19}$/.test(userId);
}

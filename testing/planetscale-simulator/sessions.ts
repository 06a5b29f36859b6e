import { randomUUID } from 'node:crypto';
import type {
  FieldPacket,
  Pool,
  PoolConnection,
  QueryOptions,
  ResultSetHeader,
  RowDataPacket,
} from 'mysql2/promise';
import type { RawRow } from './result-encoding.ts';

export type QueryOutcome = [RawRow[] | ResultSetHeader, FieldPacket[] | undefined];

interface PinnedConnection {
  connection: PoolConnection;
  lastUsed: number;
}

/**
 * PlanetScale's HTTP API is stateless apart from the `session` object that
 * the driver echoes back with every statement. A transaction (BEGIN …
 * COMMIT/ROLLBACK) must run on one MySQL connection, so a session that
 * begins one is pinned to a pooled connection until it ends the
 * transaction. A session idle for longer than the transaction timeout is
 * taken to be abandoned: its connection is closed, which rolls back.
 * Outside transactions, statements run on any pooled connection.
 */
export class SessionStore {
  readonly #pool: Pool;
  readonly #transactionTimeoutMs: number;
  readonly #pinned = new Map<string, PinnedConnection>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(pool: Pool, transactionTimeoutMs: number) {
    this.#pool = pool;
    this.#transactionTimeoutMs = transactionTimeoutMs;
    this.#sweeper = setInterval(() => this.#closeAbandoned(), Math.min(transactionTimeoutMs, 1_000));
    this.#sweeper.unref();
  }

  newSessionId(): string {
    return randomUUID();
  }

  /** Runs one statement for a session, on its pinned connection if it is inside a transaction. */
  async execute(sessionId: string, sql: string): Promise<QueryOutcome> {
    const kind = transactionControl(sql);
    let pinned = this.#pinned.get(sessionId);
    if (!pinned && kind === 'begin') {
      pinned = { connection: await this.#pool.getConnection(), lastUsed: Date.now() };
      this.#pinned.set(sessionId, pinned);
    }
    if (!pinned) return asOutcome(await this.#pool.query<RowDataPacket[]>(rawRows(sql)));

    pinned.lastUsed = Date.now();
    try {
      const outcome = asOutcome(await pinned.connection.query<RowDataPacket[]>(rawRows(sql)));
      if (kind === 'end') this.#unpin(sessionId, 'release');
      return outcome;
    } catch (error) {
      // A failed COMMIT, or a broken connection, leaves the connection in an
      // unknown state: close it (the server rolls back) rather than reuse it.
      if (kind === 'end' || (error as { fatal?: boolean }).fatal) this.#unpin(sessionId, 'destroy');
      throw error;
    }
  }

  /** Open transactions (for tests and logs). */
  openTransactions(): number {
    return this.#pinned.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const sessionId of [...this.#pinned.keys()]) this.#unpin(sessionId, 'destroy');
  }

  #unpin(sessionId: string, how: 'release' | 'destroy'): void {
    const pinned = this.#pinned.get(sessionId);
    if (!pinned) return;
    this.#pinned.delete(sessionId);
    if (how === 'release') pinned.connection.release();
    else pinned.connection.destroy();
  }

  #closeAbandoned(): void {
    const cutoff = Date.now() - this.#transactionTimeoutMs;
    for (const [sessionId, pinned] of this.#pinned) {
      if (pinned.lastUsed < cutoff) this.#unpin(sessionId, 'destroy');
    }
  }
}

/** Whether a statement opens or closes a transaction ("ROLLBACK TO SAVEPOINT" does neither). */
function transactionControl(sql: string): 'begin' | 'end' | undefined {
  if (/^\s*(BEGIN|START\s+TRANSACTION)\b/i.test(sql)) return 'begin';
  if (/^\s*(COMMIT|ROLLBACK)\b(?!\s+TO\b)/i.test(sql)) return 'end';
  return undefined;
}

/** Query options that return every value as the raw bytes the server sent (null for NULL). */
function rawRows(sql: string): QueryOptions {
  return { sql, rowsAsArray: true, typeCast: (field) => field.buffer() };
}

/** With `rawRows`, a row is an array of Buffer | null, whatever mysql2's generic types say. */
function asOutcome([result, fields]: [unknown, FieldPacket[] | undefined]): QueryOutcome {
  return [result as RawRow[] | ResultSetHeader, fields];
}

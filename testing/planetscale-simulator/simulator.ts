import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, type PoolOptions } from 'mysql2/promise';
import { encodeResult } from './result-encoding.ts';
import { SessionStore } from './sessions.ts';
import { toVitessError } from './vitess-error.ts';

/**
 * A local server that speaks PlanetScale's HTTP database API, backed by any
 * MySQL-compatible server (MariaDB in tests), so the real
 * `@planetscale/database` driver can be used without PlanetScale:
 *
 *   POST /psdb.v1alpha1.Database/Execute        {"query", "session"} → {"session", "result" | "error", "timing"}
 *   POST /psdb.v1alpha1.Database/CreateSession  {} → {"session"}
 *
 * with HTTP Basic auth. The driver interpolates parameters itself, so each
 * request carries one complete SQL statement. See sessions.ts for
 * transactions and result-encoding.ts for the result format.
 */
export interface PlanetScaleSimulatorOptions {
  /** How to reach MySQL or MariaDB: mysql2 pool options (host, port, user, password, database, ...). */
  mysql: PoolOptions;
  /** The credentials clients must present, like a PlanetScale password's username and secret. */
  username: string;
  password: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** An idle transaction is rolled back after this long (PlanetScale: 20 s). */
  transactionTimeoutMs?: number;
}

export interface PlanetScaleSimulator {
  /** http://USERNAME:PASSWORD@HOST:PORT, the `url` to give the driver. */
  url: string;
  host: string;
  port: number;
  /** Transactions begun and not yet ended. */
  openTransactions(): number;
  stop(): Promise<void>;
}

/** The opaque session object the driver echoes back. */
interface SimulatedSession {
  id: string;
}

const EXECUTE_PATH = '/psdb.v1alpha1.Database/Execute';
const CREATE_SESSION_PATH = '/psdb.v1alpha1.Database/CreateSession';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startPlanetScaleSimulator(
  options: PlanetScaleSimulatorOptions,
): Promise<PlanetScaleSimulator> {
  const pool = createPool({ connectionLimit: 10, ...options.mysql, charset: 'utf8mb4' });
  const sessions = new SessionStore(pool, options.transactionTimeoutMs ?? 20_000);
  const expectedAuth = Buffer.from(
    `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`,
  );

  const execute = async (body: { query?: unknown; session?: unknown }) => {
    const session: SimulatedSession = { id: sessionIdOf(body.session) ?? sessions.newSessionId() };
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return { session, error: { code: 'INVALID_ARGUMENT', message: 'query must be a non-empty string' } };
    }
    const started = performance.now();
    try {
      const [result, fields] = await sessions.execute(session.id, body.query);
      return { session, result: encodeResult(result, fields), timing: (performance.now() - started) / 1000 };
    } catch (error) {
      return { session, error: toVitessError(error) };
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    if (request.method !== 'POST' || (path !== EXECUTE_PATH && path !== CREATE_SESSION_PATH)) {
      return answer(response, 404, {
        code: 'not_found',
        message: `no such endpoint: ${request.method} ${path}`,
      });
    }
    if (!sameBytes(Buffer.from(request.headers.authorization ?? ''), expectedAuth)) {
      return answer(response, 401, { code: 'unauthenticated', message: 'invalid username or password' });
    }
    const body = await readJson(request);
    if (body === undefined) {
      return answer(response, 400, { code: 'invalid_argument', message: 'the body must be a JSON object' });
    }
    if (path === CREATE_SESSION_PATH) {
      return answer(response, 200, { session: { id: sessions.newSessionId() } satisfies SimulatedSession });
    }
    answer(response, 200, await execute(body));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      answer(response, 500, {
        code: 'internal',
        message: error instanceof Error ? error.message : String(error),
      });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const credentials = `${encodeURIComponent(options.username)}:${encodeURIComponent(options.password)}`;

  return {
    url: `http://${credentials}@${host}:${port}`,
    host,
    port,
    openTransactions: () => sessions.openTransactions(),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sessions.close();
      await pool.end();
    },
  };
}

function sessionIdOf(session: unknown): string | undefined {
  const id = (session as Partial<SimulatedSession> | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Constant-time comparison, so response timing does not reveal how much of a password matched. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The body parsed as a JSON object; undefined if it is not one or is too large. */
async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

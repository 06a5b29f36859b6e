import { startOnFreePort } from './free-port.ts';
import { spawnServer } from './server-process.ts';
import { tcpProbe } from './tcp-probe.ts';
import { makeTempDir } from './temp-dir.ts';
import { waitUntil } from './wait-until.ts';

export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  url: string;
  host: string;
  port: number;
  /** What redis-server printed (for diagnosing a failing test). */
  output(): string;
  /** Sends the server a signal: SIGSTOP makes a Redis that keeps its connections but never answers. */
  signal(signal: NodeJS.Signals): void;
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** Extra redis-server arguments, e.g. ['--maxmemory', '10mb']. */
  args?: readonly string[];
  /** redis-server binary (default: the one on PATH, from the apt package redis-server). */
  binary?: string;
  startTimeoutMs?: number;
  /** A fixed port, e.g. to bring a stopped server back where its clients expect it. */
  port?: number;
}

/**
 * A throwaway redis-server on a free loopback port with persistence off,
 * ready (answering PING) when the promise resolves.
 */
export function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  if (options.port) return startRedisOn(options.port, options);
  return startOnFreePort((port) => startRedisOn(port, options));
}

async function startRedisOn(port: number, options: RedisOptions): Promise<RedisServer> {
  const host = '127.0.0.1';
  const dir = makeTempDir('redis');
  // Persistence is off (no RDB, no AOF): a test's data lives only as long as the server.
  const args = [
    '--port',
    String(port),
    '--bind',
    host,
    '--dir',
    dir.path,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  const server = spawnServer('redis-server', options.binary ?? 'redis-server', [
    ...args,
    ...(options.args ?? []),
  ]);
  const stop = async () => {
    await server.stop();
    dir.remove();
  };
  try {
    await waitUntil(() => tcpProbe(port, 'PING\r\n', answersPong), {
      description: `redis-server on port ${port} answers PING`,
      timeoutMs: options.startTimeoutMs ?? 10_000,
      failFast: server.exitError,
    });
  } catch (error) {
    // Why it failed, taken before stop() (which makes any server "exit").
    const reason =
      server.exitError() ?? server.failure(error instanceof Error ? error.message : String(error));
    await stop();
    throw reason;
  }
  return { url: `redis://${host}:${port}`, host, port, output: server.output, signal: server.signal, stop };
}

/** "+PONG" means ready; "-LOADING ..." (or any error reply) means not yet. */
function answersPong(received: Buffer): boolean | undefined {
  const reply = received.toString('latin1');
  if (!reply.includes('\r\n')) return undefined;
  return reply.startsWith('+PONG');
}

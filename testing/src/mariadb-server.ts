import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOnFreePort } from './free-port.ts';
import { runToCompletion, spawnServer } from './server-process.ts';
import { tcpProbe } from './tcp-probe.ts';
import { makeTempDir, type TempDir } from './temp-dir.ts';
import { waitUntil } from './wait-until.ts';

export interface MariaDbServer {
  host: string;
  port: number;
  /** The Unix socket path (for clients that prefer it to TCP). */
  socket: string;
  /** root, with no password (the server listens on 127.0.0.1 only). */
  user: 'root';
  password: '';
  /** mysql://root@127.0.0.1:PORT (append a database name). */
  url: string;
  output(): string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

export interface MariaDbOptions {
  /** Databases created before the server accepts connections. */
  databases?: readonly string[];
  /** Extra mariadbd arguments. */
  args?: readonly string[];
  /** Directory holding mariadbd (default /usr/sbin, where the apt package mariadb-server puts it). */
  sbinDir?: string;
  startTimeoutMs?: number;
}

/**
 * Settings for a throwaway server: small memory and log files, UTF-8 and UTC
 * like a production MySQL 8, and no host-name lookups. `--no-defaults`
 * keeps the machine's /etc/mysql configuration out of tests.
 */
const SERVER_SETTINGS = [
  '--innodb-buffer-pool-size=64M',
  '--innodb-log-file-size=16M',
  '--innodb-flush-log-at-trx-commit=2',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_unicode_ci',
  '--default-time-zone=+00:00',
  '--skip-name-resolve',
];

/**
 * A throwaway MariaDB (MySQL-compatible) server in a temp data directory on a
 * free loopback port, ready (sending its handshake) when the promise resolves.
 */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDbServer> {
  const dir = makeTempDir('mariadb');
  const dataDir = join(dir.path, 'data');
  try {
    // `normal` root authentication: root@127.0.0.1 with an empty password (the
    // default, unix_socket, would refuse TCP clients).
    await runToCompletion('mariadb-install-db', 'mariadb-install-db', [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...SERVER_SETTINGS,
    ]);
    const initFile = join(dir.path, 'init.sql');
    writeFileSync(initFile, createDatabasesSql(options.databases ?? []));
    return await startOnFreePort((port) => startMariaDbOn(port, dir, dataDir, initFile, options));
  } catch (error) {
    dir.remove();
    throw error;
  }
}

async function startMariaDbOn(
  port: number,
  dir: TempDir,
  dataDir: string,
  initFile: string,
  options: MariaDbOptions,
): Promise<MariaDbServer> {
  const host = '127.0.0.1';
  const socket = join(dir.path, 'mariadb.sock');
  const binary = join(options.sbinDir ?? '/usr/sbin', 'mariadbd');
  const server = spawnServer('mariadbd', binary, [
    '--no-defaults',
    '--user=root',
    `--bind-address=${host}`,
    `--port=${port}`,
    `--socket=${socket}`,
    `--datadir=${dataDir}`,
    `--pid-file=${join(dir.path, 'mariadb.pid')}`,
    `--init-file=${initFile}`,
    ...SERVER_SETTINGS,
    ...(options.args ?? []),
  ]);
  try {
    // The init file runs before connections are accepted, so a handshake
    // also means the requested databases exist.
    await waitUntil(() => tcpProbe(port, undefined, sendsHandshake), {
      description: `mariadbd on port ${port} sends its handshake`,
      timeoutMs: options.startTimeoutMs ?? 20_000,
      failFast: server.exitError,
    });
  } catch (error) {
    // Why it failed, taken before stop() (which makes any server "exit").
    const reason =
      server.exitError() ?? server.failure(error instanceof Error ? error.message : String(error));
    await server.stop();
    throw reason;
  }
  return {
    host,
    port,
    socket,
    user: 'root',
    password: '',
    url: `mysql://root@${host}:${port}`,
    output: server.output,
    async stop() {
      await server.stop();
      dir.remove();
    },
  };
}

/** A MySQL server's first packet: protocol version 10 means a handshake, 0xff an error (not ready). */
function sendsHandshake(received: Buffer): boolean | undefined {
  const header = 4;
  if (received.length <= header) return undefined;
  return received[header] === 0x0a;
}

function createDatabasesSql(databases: readonly string[]): string {
  return databases
    .map((name) => {
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`invalid database name for a test server: ${name}`);
      return `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n`;
    })
    .join('');
}

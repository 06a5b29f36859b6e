/**
 * A multi-pod groupcall on this machine, for trying the production flow by
 * hand: redis-server, MariaDB behind the PlanetScale HTTP simulator (migrated
 * and seeded with the demo directory), the control plane, and two sfu-worker
 * pods, each a real process with its own sticky Socket.IO path.
 *
 *   ./scripts/local-cluster          (Ctrl+C stops everything)
 *
 * Needs the apt packages redis-server and mariadb-server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runMigrations } from '@groupcall/control-plane/migrations';
import { seedDirectory } from '@groupcall/control-plane/seed';
import { loadDirectoryData } from '@groupcall/shared/directory';
import { generateTicketKeyPair, privateKeyPem, publicKeyPem } from '@groupcall/shared/tickets';
import { signAccessToken, startMariaDb, startRedis, waitUntil } from '@groupcall/testing';
import { startPlanetScaleSimulator } from '@groupcall/testing/planetscale-simulator';
import { Client } from '@planetscale/database';

const root = path.resolve(import.meta.dirname, '../..');
const controlPlanePort = Number(process.env.CONTROL_PLANE_PORT ?? 8080);
// Media ports above Linux's ephemeral range and mediasoup's own random range (10000-59999).
const pods = [
  { name: 'sfu-1', port: 8101, mediaPort: 61100 },
  { name: 'sfu-2', port: 8102, mediaPort: 61200 },
];
const authSecret = process.env.AUTH_JWT_SECRET ?? randomBytes(32).toString('hex');
const accessTokenIssuer = process.env.AUTH_ISSUER ?? 'https://threads.local';
const accessTokenAudience = process.env.AUTH_AUDIENCE ?? 'groupcall';
// Tickets are signed with a private key only the control plane gets; pods verify with the public key.
const ticketKeys = generateTicketKeyPair();
const podServiceSecret = randomBytes(32).toString('hex');
const children: ChildProcess[] = [];

/** Runs a service, its JSON log lines prefixed with its name. */
function run(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  child.on('exit', (code, signal) => console.log(`[${name}] exited (${signal ?? code})`));
  children.push(child);
  return child;
}

async function ready(child: ChildProcess, url: string): Promise<void> {
  await waitUntil(async () => (await fetch(url)).ok, {
    description: `${url} answers`,
    timeoutMs: 30_000,
    failFast: () =>
      child.exitCode === null ? undefined : new Error(`${url}: the process exited, see its log above`),
  });
}

let stopping = false;
async function stop(code: number): Promise<never> {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children
      .filter((c) => c.exitCode === null)
      .map((child) => new Promise((resolve) => child.once('exit', resolve))),
  );
  process.exit(code);
}
process.on('SIGINT', () => void (stopping || stop(0)));
process.on('SIGTERM', () => void (stopping || stop(0)));

const redis = await startRedis();
const mariadb = await startMariaDb({ databases: ['groupcall'] });
const simulator = await startPlanetScaleSimulator({
  mysql: { host: mariadb.host, port: mariadb.port, user: mariadb.user, database: 'groupcall' },
  username: 'dev',
  password: randomBytes(8).toString('hex'),
});
const db = new Client({ url: simulator.url });
await runMigrations(db);
await seedDirectory(db, loadDirectoryData());

const controlPlaneUrl = `http://127.0.0.1:${controlPlanePort}`;
const shared = {
  REDIS_URL: redis.url,
  AUTH_JWT_SECRET: authSecret,
  AUTH_ISSUER: accessTokenIssuer,
  AUTH_AUDIENCE: accessTokenAudience,
  POD_SERVICE_SECRET: podServiceSecret,
};
const controlPlane = run('control-plane', 'control-plane/src/main.ts', {
  ...shared,
  TICKET_PRIVATE_KEY: privateKeyPem(ticketKeys.privateKey),
  PORT: String(controlPlanePort),
  HOST: '127.0.0.1',
  DATABASE_URL: simulator.url,
});
try {
  await ready(controlPlane, `${controlPlaneUrl}/readyz`);
  for (const pod of pods) {
    const child = run(pod.name, 'sfu-worker/src/main.ts', {
      ...shared,
      TICKET_PUBLIC_KEY: publicKeyPem(ticketKeys.publicKey),
      POD_NAME: pod.name,
      PORT: String(pod.port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${pod.port}`,
      CONTROL_PLANE_URL: controlPlaneUrl,
      MEDIASOUP_LISTEN_IP: '127.0.0.1',
      MEDIASOUP_ANNOUNCED_IP: '127.0.0.1',
      MEDIASOUP_PORT_BASE: String(pod.mediaPort),
      MEDIASOUP_NUM_WORKERS: '1',
    });
    await ready(child, `http://127.0.0.1:${pod.port}/readyz`);
  }
} catch (error) {
  console.error(`local cluster failed to start: ${(error as Error).message}`);
  await stop(1);
}

const aliceToken = await signAccessToken('1', authSecret, {
  expiresInSeconds: 12 * 3600,
  issuer: accessTokenIssuer,
  audience: accessTokenAudience,
});
console.log(`
  groupcall local cluster is up
    control plane  ${controlPlaneUrl}   (OpenAPI: ${controlPlaneUrl}/openapi.json)
    sfu pods       ${pods.map((p) => `http://127.0.0.1:${p.port}/sfu/${p.name}/socket.io`).join('\n                   ')}
    redis          ${redis.url}
    directory      ${simulator.url.replace(/:[^:@/]+@/, ':***@')} (MariaDB :${mariadb.port}, demo data)

  Access tokens are HS256 JWTs with sub = user id, iss = ${accessTokenIssuer}, aud = ${accessTokenAudience},
  an exp, signed with AUTH_JWT_SECRET=${authSecret}
  Start a call as Alice:
    curl -s -X POST ${controlPlaneUrl}/v1/calls -H 'authorization: Bearer ${aliceToken}' \\
         -H 'content-type: application/json' -d '{"conversationId":"team-alpha","callType":"video"}'
`);

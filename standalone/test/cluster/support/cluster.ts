import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  generateTicketKeyPair,
  privateKeyPem,
  publicKeyPem,
  serviceTokenKey,
  signServiceToken,
  signTicket,
  type TicketClaims,
} from '@groupcall/shared/tickets';
import {
  freePort,
  makeTempDir,
  type RedisServer,
  type ServerProcess,
  signAccessToken,
  spawnServer,
  startRedis,
  waitUntil,
} from '@groupcall/testing';

const root = path.resolve(import.meta.dirname, '../../../..');
const authSecret = randomBytes(32).toString('hex');
// Tickets: the control plane alone holds the private key; pods get the public key
// and a separate secret for the service tokens they send the control plane.
const ticketKeys = generateTicketKeyPair();
const podServiceSecret = randomBytes(32).toString('hex');
const controlPlaneKeyEnv = {
  TICKET_PRIVATE_KEY: privateKeyPem(ticketKeys.privateKey),
  POD_SERVICE_SECRET: podServiceSecret,
};
const podKeyEnv = {
  TICKET_PUBLIC_KEY: publicKeyPem(ticketKeys.publicKey),
  POD_SERVICE_SECRET: podServiceSecret,
};
/** The Threads backend's token issuer and this service's audience, as the chart requires them. */
export const accessTokenIssuer = 'https://threads.test';
export const accessTokenAudience = 'groupcall';
const authEnv = {
  AUTH_JWT_SECRET: authSecret,
  AUTH_ISSUER: accessTokenIssuer,
  AUTH_AUDIENCE: accessTokenAudience,
};

export interface PodProcess {
  name: string;
  /** http://127.0.0.1:PORT */
  url: string;
  /** /sfu/<name>/socket.io */
  path: string;
  process: ServerProcess;
}

export interface ControlPlaneProcess {
  url: string;
  process: ServerProcess;
}

export interface Cluster {
  redis: RedisServer;
  /** The first control-plane replica: the pods report to it. */
  controlPlaneUrl: string;
  controlPlane: ServerProcess;
  /** Every control-plane replica started, the first included. */
  controlPlanes: ControlPlaneProcess[];
  /** Another control-plane replica on the same Redis (as a Deployment scales). */
  startControlPlane(): Promise<ControlPlaneProcess>;
  /** A service token as the pod `podName` signs it for the control plane's internal API. */
  serviceToken(podName: string): Promise<string>;
  pods: Map<string, PodProcess>;
  /** An access token as the Threads backend would issue it (`exp`: seconds from now, null for none). */
  token(userId: string, options?: { expiresInSeconds?: number | null }): Promise<string>;
  /** A ticket signed with the control plane's private key, as the control plane would issue it. */
  ticket(claims: TicketClaims, options?: { now?: () => number }): Promise<string>;
  /** What the pods hold besides the public key: the secret of their service tokens. */
  podServiceSecret: string;
  startPod(name: string, env?: Record<string, string>): Promise<PodProcess>;
  /** A request to the control plane's /v1 API as `userId` (to `via`, default the first replica). */
  api(
    userId: string,
    method: string,
    route: string,
    body?: unknown,
    via?: ControlPlaneProcess,
  ): Promise<{ status: number; body: ApiBody }>;
  stop(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: tests assert the exact shape themselves
type ApiBody = any;

export interface ClusterOptions {
  pods: string[];
  /** Directory JSON for the control plane (default: the demo data). */
  directory?: unknown;
  podEnv?: Record<string, string>;
  /** Extra environment of every control-plane replica (e.g. RING_TIMEOUT_SECONDS, FCM_EMULATOR_URL). */
  controlPlaneEnv?: Record<string, string>;
}

const node = process.execPath;

/**
 * A real multi-pod system on this machine: redis-server, the control plane
 * process (Redis placement, Redis emitter, JSON directory) and sfu-worker
 * pod processes (`sfu-worker/src/main.ts`), each on its own loopback port with its own
 * sticky path — what the Helm chart runs, minus Kubernetes.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const redis = await startRedis();
  const tmp = makeTempDir('cluster');
  const directoryFile = path.join(tmp.path, 'directory.json');
  if (options.directory) writeFileSync(directoryFile, JSON.stringify(options.directory));

  const controlPlanes: ControlPlaneProcess[] = [];
  const startControlPlane = async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const process_ = spawnServer(
      `control-plane-${controlPlanes.length + 1}`,
      node,
      [path.join(root, 'control-plane/src/main.ts')],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'info',
          PORT: String(port),
          HOST: '127.0.0.1',
          REDIS_URL: redis.url,
          ...authEnv,
          ...controlPlaneKeyEnv,
          RING_TIMEOUT_SECONDS: '30',
          // These tests start many calls as a few users; the limits have their own tests.
          RATE_LIMIT_RINGS_PER_MINUTE: '10000',
          RATE_LIMIT_USER_REQUESTS_PER_MINUTE: '10000',
          RATE_LIMIT_CONVERSATION_REQUESTS_PER_MINUTE: '10000',
          ...(options.directory ? { DIRECTORY_FILE: directoryFile } : {}),
          ...options.controlPlaneEnv,
        },
      },
    );
    const replica = { url, process: process_ };
    controlPlanes.push(replica);
    await waitForHttp(process_, `${url}/readyz`);
    return replica;
  };
  const first = await startControlPlane();
  const controlPlaneUrl = first.url;
  const controlPlane = first.process;

  const pods = new Map<string, PodProcess>();
  const startPod = async (name: string, env: Record<string, string> = {}) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const process_ = spawnServer(name, node, [path.join(root, 'sfu-worker/src/main.ts')], {
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        POD_NAME: name,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        REDIS_URL: redis.url,
        CONTROL_PLANE_URL: controlPlaneUrl,
        ...podKeyEnv,
        ...authEnv,
        MEDIASOUP_LISTEN_IP: '127.0.0.1',
        MEDIASOUP_ANNOUNCED_IP: '127.0.0.1',
        MEDIASOUP_PORT_BASE: '0',
        MEDIASOUP_NUM_WORKERS: '1',
        // A room that empties ends a second later (production: 10 s).
        CALL_EMPTY_GRACE_SECONDS: '1',
        // A device whose connection dropped (a closed page) is removed 3 s later (production: 20 s).
        CALL_RESUME_GRACE_SECONDS: '3',
        ...options.podEnv,
        ...env,
      },
    });
    const pod = { name, url, path: `/sfu/${name}/socket.io`, process: process_ };
    await waitForHttp(process_, `${url}/readyz`);
    pods.set(name, pod);
    return pod;
  };
  for (const name of options.pods) await startPod(name);

  const token = (userId: string, tokenOptions: { expiresInSeconds?: number | null } = {}) =>
    signAccessToken(userId, authSecret, {
      issuer: accessTokenIssuer,
      audience: accessTokenAudience,
      ...tokenOptions,
    });
  const ticket = async (claims: TicketClaims, ticketOptions: { now?: () => number } = {}) =>
    (await signTicket(ticketKeys.privateKey, claims, ticketOptions)).ticket;

  return {
    redis,
    controlPlaneUrl,
    controlPlane,
    controlPlanes,
    startControlPlane,
    serviceToken: (podName) => signServiceToken(serviceTokenKey(podServiceSecret), podName),
    pods,
    token,
    ticket,
    podServiceSecret,
    startPod,
    async api(userId, method, route, body, via = first) {
      const response = await fetch(`${via.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${await token(userId)}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    },
    async stop() {
      await Promise.all([...pods.values()].map((pod) => pod.process.stop(2_000)));
      await Promise.all(controlPlanes.map((replica) => replica.process.stop(2_000)));
      await redis.stop();
      tmp.remove();
    },
  };
}

async function waitForHttp(process_: ServerProcess, url: string): Promise<void> {
  await waitUntil(async () => (await fetch(url)).ok, {
    description: `${process_.name} answers ${url}`,
    // Generous: a pod starts mediasoup, and the machine may be shared.
    timeoutMs: 60_000,
    intervalMs: 50,
    failFast: () => process_.exitError(),
  });
}

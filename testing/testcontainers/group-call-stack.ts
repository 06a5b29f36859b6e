import './environment.ts';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ControlPlaneApi } from '@groupcall/shared/control-plane-api';
import type { DirectoryData } from '@groupcall/shared/directory';
import { generateTicketKeyPair, privateKeyPem, publicKeyPem } from '@groupcall/shared/tickets';
import { GenericContainer, PullPolicy, type StartedTestContainer, Wait } from 'testcontainers';
import { signAccessToken } from '../src/access-tokens.ts';
import { onProcessExit } from '../src/exit-cleanup.ts';
import { type FakeFcm, startFakeFcm } from '../src/fake-fcm.ts';
import { freePort } from '../src/free-port.ts';
import { waitUntil } from '../src/wait-until.ts';
import { checkImages, defaultImages, type GroupCallImages } from './images.ts';
import { OutputTail } from './output-tail.ts';

/** The issuer and audience the stack's services require of access tokens (the chart requires both). */
const accessTokenIssuer = 'https://threads.test';
const accessTokenAudience = 'groupcall';

export interface GroupCallStackOptions {
  /** sfu-worker pods, named sfu-1 … sfu-N (default 2). */
  sfuPods?: number;
  /** The directory seeded into the database (default: the demo data, shared/demo/directory.json). */
  directory?: DirectoryData;
  /**
   * Where the control plane sends pushes: a fake FCM you started (startFakeFcm), or
   * false to only log them. Default: the stack starts its own (`stack.fcm`).
   */
  fcm?: FakeFcm | false;
  /** Image names (default: defaultImages(), as scripts/build-images names them). */
  images?: Partial<GroupCallImages>;
  /** Extra environment for the control plane, e.g. { RING_TIMEOUT_SECONDS: '5' }. */
  controlPlaneEnv?: Record<string, string>;
  /** Extra environment for every pod, e.g. { DRAIN_DEADLINE_SECONDS: '1' }. */
  podEnv?: Record<string, string>;
  /** Echo every container's output to stderr (default: GROUPCALL_STACK_LOGS=1). */
  logs?: boolean;
  /** How long each container may take to become ready (default 60 s). */
  startupTimeoutMs?: number;
}

export interface StackPod {
  /** The pod name (POD_NAME); its Socket.IO path is `/sfu/<name>/socket.io`. */
  name: string;
  /** http://127.0.0.1:PORT: the Socket.IO origin (PUBLIC_URL). */
  url: string;
  /** /sfu/<name>/socket.io */
  path: string;
  /** First WebRtcServer port (UDP and TCP) of its mediasoup worker. */
  mediaPort: number;
  container: StartedTestContainer;
  /** False once stop() was called or the container exited. */
  running(): boolean;
  /**
   * Stops and removes the container: SIGTERM, then SIGKILL after `timeoutMs`
   * (default 0: killed at once, like a node that vanished).
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Its recent output (the last 500 lines). */
  logs(): string;
}

/**
 * The whole product in containers on this machine, as the Helm chart runs it:
 * the control-plane and sfu-worker images, Redis, and MariaDB behind the
 * PlanetScale HTTP simulator (migrated and seeded with `directory`); pushes go
 * to a fake FCM in this process. Every container uses the host network, as the
 * sfu-worker pods do on Kubernetes: services listen on free 127.0.0.1 ports,
 * each pod announces 127.0.0.1 for media. Build the images first
 * (buildGroupCallImages, or scripts/build-images --test-images).
 *
 *   const stack = await GroupCallStack.start({ sfuPods: 2 });
 *   const call = await stack.api('1').startCall('team-alpha');   // ControlPlaneApi as user 1
 *   … socket.io-client to call.endpoint.url with path call.endpoint.path, auth {token: await stack.token('1')}
 *   await stack.stop();
 */
export class GroupCallStack {
  readonly controlPlaneUrl: string;
  readonly redisUrl: string;
  /** DATABASE_URL of the simulator (http://USER:PASSWORD@127.0.0.1:PORT), for the PlanetScale driver. */
  readonly databaseUrl: string;
  /** The fake FCM receiving the pushes, unless `fcm: false`. */
  readonly fcm: FakeFcm | undefined;
  readonly pods: StackPod[];
  readonly controlPlane: StartedTestContainer;
  readonly #authSecret: Uint8Array;
  readonly #stopAll: () => Promise<void>;

  private constructor(parts: {
    controlPlaneUrl: string;
    redisUrl: string;
    databaseUrl: string;
    fcm: FakeFcm | undefined;
    pods: StackPod[];
    controlPlane: StartedTestContainer;
    authSecret: string;
    stopAll: () => Promise<void>;
  }) {
    this.controlPlaneUrl = parts.controlPlaneUrl;
    this.redisUrl = parts.redisUrl;
    this.databaseUrl = parts.databaseUrl;
    this.fcm = parts.fcm;
    this.pods = parts.pods;
    this.controlPlane = parts.controlPlane;
    this.#authSecret = new TextEncoder().encode(parts.authSecret);
    this.#stopAll = parts.stopAll;
  }

  static async start(options: GroupCallStackOptions = {}): Promise<GroupCallStack> {
    const images = { ...defaultImages(), ...options.images };
    await checkImages(images);
    const podCount = options.sfuPods ?? 2;
    if (!Number.isInteger(podCount) || podCount < 0) throw new Error(`sfuPods must be >= 0, got ${podCount}`);
    const echo = options.logs ?? process.env.GROUPCALL_STACK_LOGS === '1';
    const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
    const stackId = randomBytes(4).toString('hex');
    const authSecret = randomBytes(32).toString('hex');
    // As the chart deploys them: the private ticket key only in the control plane, the public key in pods.
    const ticketKeys = generateTicketKeyPair();
    const podServiceSecret = randomBytes(32).toString('hex');

    // Everything started so far, stopped in reverse order on failure or stop().
    const started: Array<{ name: string; container: StartedTestContainer }> = [];
    const removeAtExit = onProcessExit(() => {
      const ids = started.map((s) => s.container.getId());
      if (ids.length > 0)
        spawnSync('docker', ['rm', '--force', ...ids], { stdio: 'ignore', timeout: 10_000 });
    });
    let ownFcm: FakeFcm | undefined;
    const stopAll = async () => {
      const containers = started.splice(0).reverse();
      await Promise.allSettled(containers.map(({ container }) => container.stop({ timeout: 0 })));
      await ownFcm?.stop();
      removeAtExit();
    };

    const run = async (name: string, container: GenericContainer, waitFor: string | RegExp) => {
      const output = new OutputTail(name, echo);
      const instance = await container
        .withName(`groupcall-${stackId}-${name}`)
        .withLabels({ 'io.groupcall.stack': stackId, 'io.groupcall.test-pid': String(process.pid) })
        .withNetworkMode('host')
        .withPullPolicy(PullPolicy.neverPull())
        .withLogConsumer((stream) => output.follow(stream))
        .withWaitStrategy(Wait.forLogMessage(waitFor))
        .withStartupTimeout(startupTimeoutMs)
        .start()
        .catch((error: unknown) => {
          throw new Error(
            `${name} did not start: ${error instanceof Error ? error.message : String(error)}\n${output.text()}`,
          );
        });
      started.push({ name, container: instance });
      return { container: instance, output };
    };

    try {
      ownFcm = options.fcm === undefined ? await startFakeFcm() : undefined;
      const fcm = options.fcm === false ? undefined : (options.fcm ?? ownFcm);

      const [redisPort, simulatorPort, controlPlanePort] = [
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      const redisUrl = `redis://127.0.0.1:${redisPort}`;
      const simulatorPassword = randomBytes(12).toString('hex');
      const databaseUrl = `http://groupcall:${simulatorPassword}@127.0.0.1:${simulatorPort}`;
      const directoryFile = '/tmp/groupcall-directory.json';
      await Promise.all([
        run(
          'redis',
          new GenericContainer(images.redis).withCommand([
            'redis-server',
            '--port',
            String(redisPort),
            '--bind',
            '127.0.0.1',
            '--save',
            '',
            '--appendonly',
            'no',
          ]),
          'Ready to accept connections',
        ),
        run(
          'planetscale-sim',
          new GenericContainer(images.planetScaleSimulator)
            .withEnvironment({
              SIMULATOR_HOST: '127.0.0.1',
              SIMULATOR_PORT: String(simulatorPort),
              SIMULATOR_USERNAME: 'groupcall',
              SIMULATOR_PASSWORD: simulatorPassword,
              ...(options.directory ? { DIRECTORY_FILE: directoryFile } : {}),
            })
            .withCopyContentToContainer(
              options.directory
                ? [{ content: JSON.stringify(options.directory), target: directoryFile, mode: 0o644 }]
                : [],
            ),
          'planetscale-sim ready',
        ),
      ]);

      const controlPlaneUrl = `http://127.0.0.1:${controlPlanePort}`;
      const controlPlane = await run(
        'control-plane',
        new GenericContainer(images.controlPlane).withEnvironment({
          LOG_LEVEL: 'info',
          HOST: '127.0.0.1',
          PORT: String(controlPlanePort),
          REDIS_URL: redisUrl,
          DATABASE_URL: databaseUrl,
          AUTH_JWT_SECRET: authSecret,
          AUTH_ISSUER: accessTokenIssuer,
          AUTH_AUDIENCE: accessTokenAudience,
          TICKET_PRIVATE_KEY: privateKeyPem(ticketKeys.privateKey),
          POD_SERVICE_SECRET: podServiceSecret,
          ...(fcm
            ? {
                FCM_EMULATOR_URL: `http://127.0.0.1:${fcm.port}`,
                FCM_EMULATOR_ACCESS_TOKEN: fcm.accessToken,
                FIREBASE_PROJECT_ID: fcm.projectId,
              }
            : {}),
          ...options.controlPlaneEnv,
        }),
        'control plane listening',
      );
      await waitForReady('control-plane', `${controlPlaneUrl}/readyz`, controlPlane.output, startupTimeoutMs);

      const pods = await Promise.all(
        Array.from({ length: podCount }, async (_, i): Promise<StackPod> => {
          const name = `sfu-${i + 1}`;
          const [port, mediaPort] = [await freePort(), await freePort()];
          const url = `http://127.0.0.1:${port}`;
          const { container, output } = await run(
            name,
            new GenericContainer(images.sfuWorker).withEnvironment({
              LOG_LEVEL: 'info',
              POD_NAME: name,
              HOST: '127.0.0.1',
              PORT: String(port),
              PUBLIC_URL: url,
              REDIS_URL: redisUrl,
              CONTROL_PLANE_URL: controlPlaneUrl,
              AUTH_JWT_SECRET: authSecret,
              AUTH_ISSUER: accessTokenIssuer,
              AUTH_AUDIENCE: accessTokenAudience,
              TICKET_PUBLIC_KEY: publicKeyPem(ticketKeys.publicKey),
              POD_SERVICE_SECRET: podServiceSecret,
              MEDIASOUP_NUM_WORKERS: '1',
              MEDIASOUP_LISTEN_IP: '127.0.0.1',
              MEDIASOUP_ANNOUNCED_IP: '127.0.0.1',
              MEDIASOUP_PORT_BASE: String(mediaPort),
              ...options.podEnv,
            }),
            'sfu-worker pod is up',
          );
          await waitForReady(name, `${url}/readyz`, output, startupTimeoutMs);
          let stopped = false;
          return {
            name,
            url,
            path: `/sfu/${name}/socket.io`,
            mediaPort,
            container,
            running: () => !stopped && !output.ended(),
            async stop({ timeoutMs = 0 } = {}) {
              stopped = true;
              const index = started.findIndex((s) => s.container === container);
              if (index >= 0) started.splice(index, 1);
              await container.stop({ timeout: timeoutMs });
            },
            logs: () => output.text(),
          };
        }),
      );

      return new GroupCallStack({
        controlPlaneUrl,
        redisUrl,
        databaseUrl,
        fcm,
        pods,
        controlPlane: controlPlane.container,
        authSecret,
        stopAll,
      });
    } catch (error) {
      await stopAll();
      throw error;
    }
  }

  /** An access token for `userId`, as the Threads backend issues them (HS256 JWT, sub = userId, 1 h). */
  token(userId: string): Promise<string> {
    return signAccessToken(userId, this.#authSecret, {
      issuer: accessTokenIssuer,
      audience: accessTokenAudience,
    });
  }

  /** The control plane's /v1 API as `userId` (the client SDK's ControlPlaneApi). */
  api(userId: string): ControlPlaneApi {
    return new ControlPlaneApi({ baseUrl: this.controlPlaneUrl, getAccessToken: () => this.token(userId) });
  }

  /** The pod whose Socket.IO path is `path` (an endpoint the control plane answered). */
  podAt(path: string): StackPod {
    const pod = this.pods.find((p) => p.path === path);
    if (!pod) throw new Error(`no pod of this stack serves ${path}`);
    return pod;
  }

  /** Stops and removes every container (pods at once, without draining) and the stack's own fake FCM. */
  stop(): Promise<void> {
    return this.#stopAll();
  }
}

/** Polls GET `url` until 200, failing at once if the container's output ends (it exited). */
async function waitForReady(name: string, url: string, output: OutputTail, timeoutMs: number) {
  try {
    await waitUntil(async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok, {
      description: `${name} answers ${url}`,
      timeoutMs,
      intervalMs: 100,
      failFast: () => (output.ended() ? new Error(`${name} exited`) : undefined),
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output.text()}`);
  }
}

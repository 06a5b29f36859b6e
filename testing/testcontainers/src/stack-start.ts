import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { generateTicketKeyPair, privateKeyPem, publicKeyPem } from '@groupcall/shared/tickets';
import { GenericContainer, PullPolicy, type StartedTestContainer, Wait } from 'testcontainers';
// Relative, so that the published type declarations carry the type (the shared package is not published).
import type { DirectoryData } from '../../../shared/src/directory/directory-data.ts';
import { onProcessExit } from '../../src/exit-cleanup.ts';
import { type FakeFcm, startFakeFcm } from '../../src/fake-fcm.ts';
import { freePort } from '../../src/free-port.ts';
import { waitUntil } from '../../src/wait-until.ts';
import { ContainerOutput } from './container-output.ts';
import type { GroupCallImages } from './images.ts';
import { removeContainers, removeOrphanedStacks, stackLabels } from './orphaned-stacks.ts';
import {
  BridgeStackNetwork,
  HostStackNetwork,
  type NetworkMode,
  type StackNetwork,
} from './stack-network.ts';
import {
  accessTokenAudience,
  accessTokenIssuer,
  type StackPod,
  StartedGroupCallStack,
} from './started-group-call-stack.ts';

interface StartedService {
  container: StartedTestContainer;
  output: ContainerOutput;
}

/** What GroupCallContainer collected. */
export interface StackSettings {
  images: GroupCallImages;
  sfuPods: number;
  networkMode: NetworkMode;
  hostAddress: string;
  directory: DirectoryData | undefined;
  fcm: FakeFcm | false | undefined;
  controlPlaneEnv: Record<string, string>;
  podEnv: Record<string, string>;
  logs: boolean;
  startupTimeoutMs: number;
  pull: boolean;
}

const directoryFile = '/tmp/groupcall-directory.json';
/** Tries with fresh ports when a chosen port was taken between choosing and binding it. */
const portAttempts = 3;

export async function startStack(settings: StackSettings): Promise<StartedGroupCallStack> {
  const stack = new StackStart(settings);
  try {
    return await stack.run();
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** One start of a stack: what it started so far, so that stop() removes exactly that. */
class StackStart {
  readonly #settings: StackSettings;
  readonly #stackId = randomBytes(4).toString('hex');
  readonly #started: StartedTestContainer[] = [];
  #network: StackNetwork | undefined;
  #ownFcm: FakeFcm | undefined;
  readonly #removeAtExit: () => void;

  constructor(settings: StackSettings) {
    this.#settings = settings;
    // Last resort when the process dies without stop() (no Ryuk is needed for that).
    this.#removeAtExit = onProcessExit(() => {
      const ids = this.#started.map((c) => c.getId());
      if (ids.length > 0)
        spawnSync('docker', ['rm', '--force', ...ids], { stdio: 'ignore', timeout: 10_000 });
      const networkId = this.#network?.dockerNetworkId();
      if (networkId) spawnSync('docker', ['network', 'rm', networkId], { stdio: 'ignore', timeout: 10_000 });
    });
  }

  async run(): Promise<StartedGroupCallStack> {
    const s = this.#settings;
    await removeOrphanedStacks();
    const network = s.networkMode === 'host' ? new HostStackNetwork() : await BridgeStackNetwork.create();
    this.#network = network;
    const authSecret = randomBytes(32).toString('hex');
    // As the chart deploys them: the private ticket key only in the control plane, the public key in pods.
    const ticketKeys = generateTicketKeyPair();
    const podServiceSecret = randomBytes(32).toString('hex');

    this.#ownFcm =
      s.fcm === undefined ? await startFakeFcm({ host: await network.addressForContainers() }) : undefined;
    const fcm = s.fcm === false ? undefined : (s.fcm ?? this.#ownFcm);

    const simulatorPassword = randomBytes(12).toString('hex');
    const [redis, simulator] = await Promise.all([
      this.#withPortRetry(async () => {
        const address = await network.address('redis', 6379);
        const { container } = await this.#start(
          'redis',
          network.attach(
            new GenericContainer(s.images.redis).withCommand([
              'redis-server',
              '--port',
              String(address.port),
              '--bind',
              address.listenHost,
              '--protected-mode',
              'no',
              '--save',
              '',
              '--appendonly',
              'no',
            ]),
            'redis',
            [address.port],
          ),
          'Ready to accept connections',
        );
        return { address, container };
      }),
      this.#withPortRetry(async () => {
        const address = await network.address('planetscale-sim', 3900);
        const { container } = await this.#start(
          'planetscale-sim',
          network.attach(
            new GenericContainer(s.images.planetScaleSimulator)
              .withEnvironment({
                SIMULATOR_HOST: address.listenHost,
                SIMULATOR_PORT: String(address.port),
                SIMULATOR_USERNAME: 'groupcall',
                SIMULATOR_PASSWORD: simulatorPassword,
                ...(s.directory ? { DIRECTORY_FILE: directoryFile } : {}),
              })
              .withCopyContentToContainer(
                s.directory
                  ? [{ content: JSON.stringify(s.directory), target: directoryFile, mode: 0o644 }]
                  : [],
              ),
            'planetscale-sim',
            [address.port],
          ),
          'planetscale-sim ready',
        );
        return { address, container };
      }),
    ]);
    const redisHostPort = network.hostPort(redis.container, redis.address.port);
    const simulatorHostPort = network.hostPort(simulator.container, simulator.address.port);

    const controlPlane = await this.#withPortRetry(async () => {
      const address = await network.address('control-plane', 8080);
      const { container, output } = await this.#start(
        'control-plane',
        network.attach(
          new GenericContainer(s.images.controlPlane).withEnvironment({
            LOG_LEVEL: 'info',
            HOST: address.listenHost,
            PORT: String(address.port),
            REDIS_URL: `redis://${redis.address.internal}`,
            DATABASE_URL: `http://groupcall:${simulatorPassword}@${simulator.address.internal}`,
            AUTH_JWT_SECRET: authSecret,
            AUTH_ISSUER: accessTokenIssuer,
            AUTH_AUDIENCE: accessTokenAudience,
            TICKET_PRIVATE_KEY: privateKeyPem(ticketKeys.privateKey),
            POD_SERVICE_SECRET: podServiceSecret,
            ...(fcm
              ? {
                  FCM_EMULATOR_URL: `http://${fcm.host}:${fcm.port}`,
                  FCM_EMULATOR_ACCESS_TOKEN: fcm.accessToken,
                  FIREBASE_PROJECT_ID: fcm.projectId,
                }
              : {}),
            ...s.controlPlaneEnv,
          }),
          'control-plane',
          [address.port],
        ),
        'control plane listening',
      );
      return { address, container, output };
    });
    const controlPlaneUrl = `http://${s.hostAddress}:${network.hostPort(controlPlane.container, controlPlane.address.port)}`;
    await this.#waitForReady('control-plane', `${controlPlaneUrl}/readyz`, controlPlane.output);

    const pods = await Promise.all(
      Array.from({ length: s.sfuPods }, (_, i) =>
        this.#startPod(`sfu-${i + 1}`, {
          REDIS_URL: `redis://${redis.address.internal}`,
          CONTROL_PLANE_URL: `http://${controlPlane.address.internal}`,
          AUTH_JWT_SECRET: authSecret,
          AUTH_ISSUER: accessTokenIssuer,
          AUTH_AUDIENCE: accessTokenAudience,
          TICKET_PUBLIC_KEY: publicKeyPem(ticketKeys.publicKey),
          POD_SERVICE_SECRET: podServiceSecret,
        }),
      ),
    );

    return new StartedGroupCallStack({
      networkMode: network.mode,
      controlPlaneUrl,
      redisUrl: `redis://${s.hostAddress}:${redisHostPort}`,
      databaseUrl: `http://groupcall:${simulatorPassword}@${s.hostAddress}:${simulatorHostPort}`,
      fcm,
      pods,
      controlPlane: controlPlane.container,
      authSecret,
      stop: () => this.stop(),
    });
  }

  /** Stops and removes every container started so far, the network and the own fake FCM. */
  async stop(): Promise<void> {
    const containers = this.#started.splice(0).reverse();
    await Promise.allSettled(containers.map((container) => container.stop({ timeout: 0 })));
    await this.#network?.stop().catch(() => {});
    await this.#ownFcm?.stop();
    this.#ownFcm = undefined;
    this.#removeAtExit();
  }

  /**
   * A pod: signalling and media ports chosen free here and published at the
   * same number, since the pod announces both (PUBLIC_URL, mediasoup's ICE candidates).
   */
  #startPod(name: string, env: Record<string, string>): Promise<StackPod> {
    const s = this.#settings;
    const network = this.#network as StackNetwork;
    return this.#withPortRetry(async () => {
      const address = await network.address(name, await freePort());
      const mediaPort = await freePort();
      const url = `http://${s.hostAddress}:${address.port}`;
      let container = network.attach(
        new GenericContainer(s.images.sfuWorker).withEnvironment({
          LOG_LEVEL: 'info',
          POD_NAME: name,
          HOST: address.listenHost,
          PORT: String(address.port),
          PUBLIC_URL: url,
          ...env,
          MEDIASOUP_NUM_WORKERS: '1',
          MEDIASOUP_LISTEN_IP: address.listenHost,
          MEDIASOUP_ANNOUNCED_IP: s.hostAddress,
          MEDIASOUP_PORT_BASE: String(mediaPort),
          ...s.podEnv,
        }),
        name,
        [],
      );
      container = network.publishSamePort(container, address.port);
      container = network.publishSamePort(container, mediaPort, true);
      const { container: started, output } = await this.#start(name, container, 'sfu-worker pod is up');
      await this.#waitForReady(name, `${url}/readyz`, output);
      let stopped = false;
      return {
        name,
        url,
        path: `/sfu/${name}/socket.io`,
        mediaPort,
        container: started,
        running: () => !stopped && !output.ended(),
        stop: async ({ timeoutMs = 0 } = {}) => {
          stopped = true;
          const index = this.#started.indexOf(started);
          if (index >= 0) this.#started.splice(index, 1);
          await started.stop({ timeout: timeoutMs });
        },
        logs: () => output.text(),
      };
    });
  }

  async #start(name: string, container: GenericContainer, waitFor: string): Promise<StartedService> {
    const output = new ContainerOutput(name, this.#settings.logs);
    // Unique per attempt, so that a failed attempt's container can be removed by name.
    const containerName = `groupcall-${this.#stackId}-${name}-${randomBytes(2).toString('hex')}`;
    const started = await container
      .withName(containerName)
      .withLabels(stackLabels(this.#stackId))
      .withPullPolicy(this.#settings.pull ? PullPolicy.defaultPolicy() : PullPolicy.neverPull())
      .withLogConsumer((stream) => output.follow(stream))
      .withWaitStrategy(Wait.forLogMessage(waitFor))
      .withStartupTimeout(this.#settings.startupTimeoutMs)
      .start()
      .catch(async (error: unknown) => {
        await removeContainers([containerName]);
        throw new Error(
          `${name} did not start: ${error instanceof Error ? error.message : String(error)}\n${output.text()}`,
        );
      });
    this.#started.push(started);
    return { container: started, output };
  }

  /** Polls GET `url` until 200, failing at once if the container's output ends (it exited). */
  async #waitForReady(name: string, url: string, output: ContainerOutput): Promise<void> {
    try {
      await waitUntil(async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok, {
        description: `${name} answers ${url}`,
        timeoutMs: this.#settings.startupTimeoutMs,
        intervalMs: 100,
        failFast: () => (output.ended() ? new Error(`${name} exited`) : undefined),
      });
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output.text()}`);
    }
  }

  /** Runs `start` again (fresh ports) when it failed because a port was taken. */
  async #withPortRetry<T>(start: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await start();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const portTaken = /address already in use|port is already allocated|EADDRINUSE/i.test(message);
        if (!portTaken || attempt >= portAttempts) throw error;
      }
    }
  }
}

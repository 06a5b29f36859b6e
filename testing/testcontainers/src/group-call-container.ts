// Relative, so that the published type declarations carry the type (the shared package is not published).
import type { DirectoryData } from '../../../shared/src/directory/directory-data.ts';
import type { FakeFcm } from '../../src/fake-fcm.ts';
import { type GroupCallImages, publishedImages } from './images.ts';
import type { NetworkMode } from './stack-network.ts';
import { type StackSettings, startStack } from './stack-start.ts';
import type { StartedGroupCallStack } from './started-group-call-stack.ts';

/**
 * The whole groupcall product in containers, as the Helm chart runs it: the
 * control plane, sfu-worker pods, Redis, and MariaDB behind the PlanetScale
 * HTTP simulator (migrated and seeded); pushes go to a fake FCM in this
 * process. Configure, then start:
 *
 *   await using stack = await new GroupCallContainer().withSfuPods(2).start();
 *   const call = await stack.api('1').startCall('team-alpha');
 *   // socket.io-client to call.endpoint.url, path call.endpoint.path, auth { token: await stack.token('1') }
 *
 * Containers share a user-defined bridge network by default; this machine
 * reaches the control plane and pods through mapped ports, and each pod's
 * media port is published at the same port number so that mediasoup's
 * announced address (withHostAddress, default 127.0.0.1) is the one clients use.
 */
export class GroupCallContainer {
  readonly #settings: StackSettings = {
    images: { ...publishedImages },
    sfuPods: 2,
    networkMode: 'bridge',
    hostAddress: '127.0.0.1',
    directory: undefined,
    fcm: undefined,
    controlPlaneEnv: {},
    podEnv: {},
    logs: false,
    startupTimeoutMs: 60_000,
    pull: true,
  };

  /** sfu-worker pods, named sfu-1 … sfu-N (default 2). */
  withSfuPods(count: number): this {
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`sfu pods must be an integer >= 0, got ${count}`);
    this.#settings.sfuPods = count;
    return this;
  }

  /** Image names to run instead of the published ones (see publishedImages). */
  withImages(images: Partial<GroupCallImages>): this {
    this.#settings.images = { ...this.#settings.images, ...images };
    return this;
  }

  /** Never pull: every image must exist locally (e.g. built by your CI before the tests). */
  withoutPulling(): this {
    this.#settings.pull = false;
    return this;
  }

  /** 'bridge' (default: any Docker) or 'host' (Linux only: services on free 127.0.0.1 ports). */
  withNetworkMode(mode: NetworkMode): this {
    this.#settings.networkMode = mode;
    return this;
  }

  /**
   * The address clients on this machine use to reach the stack (default
   * 127.0.0.1): it is in the pods' URLs and is what mediasoup announces.
   */
  withHostAddress(address: string): this {
    this.#settings.hostAddress = address;
    return this;
  }

  /** The directory seeded into the database (default: the images' demo data). */
  withDirectory(directory: DirectoryData): this {
    this.#settings.directory = directory;
    return this;
  }

  /**
   * Where the control plane sends pushes: a fake FCM you started, or false
   * to only log them. Default: the stack starts its own (`getFcm()`).
   */
  withFcm(fcm: FakeFcm | false): this {
    this.#settings.fcm = fcm;
    return this;
  }

  /** Extra control-plane environment, e.g. { RING_TIMEOUT_SECONDS: '5' }. */
  withControlPlaneEnv(env: Record<string, string>): this {
    this.#settings.controlPlaneEnv = { ...this.#settings.controlPlaneEnv, ...env };
    return this;
  }

  /** Extra environment for every pod, e.g. { DRAIN_DEADLINE_SECONDS: '1' }. */
  withPodEnv(env: Record<string, string>): this {
    this.#settings.podEnv = { ...this.#settings.podEnv, ...env };
    return this;
  }

  /** Echo every container's output to stderr, prefixed with its name. */
  withLogs(echo = true): this {
    this.#settings.logs = echo;
    return this;
  }

  /** How long each container may take to become ready (default 60 s). */
  withStartupTimeout(ms: number): this {
    this.#settings.startupTimeoutMs = ms;
    return this;
  }

  /** Starts everything; on failure, whatever was started is removed before the error is thrown. */
  start(): Promise<StartedGroupCallStack> {
    return startStack({ ...this.#settings });
  }
}

import { ControlPlaneApi } from '@groupcall/client/control-plane-api';
import type { StartedTestContainer } from 'testcontainers';
import { signAccessToken } from '../../src/access-tokens.ts';
import type { FakeFcm } from '../../src/fake-fcm.ts';
import type { NetworkMode } from './stack-network.ts';

/** The issuer and audience the stack's services require of access tokens (the chart requires both). */
export const accessTokenIssuer = 'https://threads.test';
export const accessTokenAudience = 'groupcall';

export interface StackPod {
  /** The pod name (POD_NAME); its Socket.IO path is `/sfu/<name>/socket.io`. */
  name: string;
  /** http://HOST_ADDRESS:PORT: the Socket.IO origin (PUBLIC_URL), as this machine reaches it. */
  url: string;
  /** /sfu/<name>/socket.io */
  path: string;
  /** Its WebRtcServer port (UDP and TCP), the same on this machine and in the container. */
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

export interface StackParts {
  networkMode: NetworkMode;
  controlPlaneUrl: string;
  redisUrl: string;
  databaseUrl: string;
  fcm: FakeFcm | undefined;
  pods: StackPod[];
  controlPlane: StartedTestContainer;
  authSecret: string;
  stop: () => Promise<void>;
}

/** A running stack (GroupCallContainer.start()); `await using` stops it at the end of the scope. */
export class StartedGroupCallStack implements AsyncDisposable {
  readonly #parts: StackParts;
  readonly #authSecret: Uint8Array;

  constructor(parts: StackParts) {
    this.#parts = parts;
    this.#authSecret = new TextEncoder().encode(parts.authSecret);
  }

  getNetworkMode(): NetworkMode {
    return this.#parts.networkMode;
  }

  /** http://HOST_ADDRESS:PORT of the control plane's API (`/v1/...`), from this machine. */
  getControlPlaneUrl(): string {
    return this.#parts.controlPlaneUrl;
  }

  /** redis://HOST_ADDRESS:PORT, from this machine. */
  getRedisUrl(): string {
    return this.#parts.redisUrl;
  }

  /** DATABASE_URL of the simulator (http://USER:PASSWORD@HOST:PORT) for the PlanetScale driver, from this machine. */
  getDatabaseUrl(): string {
    return this.#parts.databaseUrl;
  }

  /** The fake FCM receiving the pushes, unless withFcm(false). */
  getFcm(): FakeFcm | undefined {
    return this.#parts.fcm;
  }

  getPods(): readonly StackPod[] {
    return this.#parts.pods;
  }

  getControlPlaneContainer(): StartedTestContainer {
    return this.#parts.controlPlane;
  }

  /** The pod whose Socket.IO path is `path` (an endpoint the control plane answered). */
  getPodAt(path: string): StackPod {
    const pod = this.#parts.pods.find((p) => p.path === path);
    if (!pod) throw new Error(`no pod of this stack serves ${path}`);
    return pod;
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
    return new ControlPlaneApi({
      baseUrl: this.#parts.controlPlaneUrl,
      getAccessToken: () => this.token(userId),
    });
  }

  /** Stops and removes every container (pods at once, without draining), the network and the stack's own fake FCM. */
  stop(): Promise<void> {
    return this.#parts.stop();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

import type { Server } from 'node:http';
import { type AccessTokenVerifier, createAccessTokenVerifier } from '@groupcall/shared/auth';
import { RedisCallStateStore } from '@groupcall/shared/call-state';
import { userRoom } from '@groupcall/shared/calls';
import { type Directory, InMemoryDirectory, loadDirectoryData } from '@groupcall/shared/directory';
import { createLogger } from '@groupcall/shared/logging';
import {
  createTicketSigner,
  generateTicketKeyPair,
  serviceTokenKey,
  signServiceToken,
} from '@groupcall/shared/tickets';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { type ControlPlane, createControlPlaneApp } from '../../../src/app.ts';
import type { Clock } from '../../../src/clock.ts';
import type { ControlPlaneDeps } from '../../../src/deps.ts';
import { redisReadiness } from '../../../src/health/redis-readiness.ts';
import { listen, portOf, stopServer } from '../../../src/http-server.ts';
import { RedisRingDeadlines } from '../../../src/lifecycle/redis-ring-deadlines.ts';
import { Metrics } from '../../../src/metrics/metrics.ts';
import { RedisEmitterNotifier } from '../../../src/notify/redis-emitter-notifier.ts';
import { InMemoryPlacement } from '../../../src/placement/in-memory-placement.ts';
import type { Placement, PodEndpoint } from '../../../src/placement/placement.ts';
import {
  type CallRateLimitSettings,
  createCallRateLimits,
  defaultCallRateLimitSettings,
} from '../../../src/rate-limits/index.ts';
import { closeRedis, connectRedis, redisReady } from '../../../src/redis-connection.ts';
import { TurnCredentials, type TurnSettings } from '../../../src/turn/turn-credentials.ts';
import { type CallEventPublisher, noCallEvents } from '../../../src/webhooks/call-events.ts';
import { accessTokenAudience, accessTokenIssuer, accessTokenSecret, hs256Token } from './access-tokens.ts';
import { RecordingPushSender } from './recording-push-sender.ts';
import type { Device } from './socket-cluster.ts';

const ticketKeys = generateTicketKeyPair();
/** The ticket public key: what the sfu-worker verifies tickets with (it cannot sign them). */
export const ticketVerificationKey = ticketKeys.publicKey;
/** POD_SERVICE_SECRET's key: what pods sign service tokens with. */
export const podServiceKey = serviceTokenKey('control-plane-test-pod-service-secret-0123456789');
export const pods: PodEndpoint[] = [
  { podName: 'sfu-0', url: 'https://sfu.test', path: '/sfu/sfu-0/socket.io' },
  { podName: 'sfu-1', url: 'https://sfu.test', path: '/sfu/sfu-1/socket.io' },
];

export interface HarnessOptions {
  redisUrl: string;
  ringTimeoutMs?: number;
  auth?: AccessTokenVerifier;
  clock?: Clock;
  /** Default: the demo directory. */
  directory?: Directory;
  /** Default: in-memory placement over `pods`. */
  placement?: Placement;
  /** TURN servers for admission answers (default: none). */
  turn?: TurnSettings;
  /** Default: the service's defaults, counted in this harness's Redis. */
  rateLimits?: Partial<CallRateLimitSettings>;
  /** Where call events (webhooks) go; default: nowhere. */
  callEvents?: CallEventPublisher;
  /** Keep what is in Redis (a second replica joining the first). Default: start from an empty Redis. */
  keepRedisData?: boolean;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
}

/**
 * The control plane as production wires it (real Redis for call state and
 * socket events, real HTTP on loopback), with the demo directory, recorded
 * pushes and two fixed pods.
 */
export class ControlPlaneHarness {
  readonly deps: ControlPlaneDeps;
  readonly push: RecordingPushSender;
  readonly callState: RedisCallStateStore;
  readonly baseUrl: string;
  readonly #redis: Redis;
  readonly #controlPlane: ControlPlane;
  readonly #server: Server;
  #markers = 0;

  private constructor(parts: {
    deps: ControlPlaneDeps;
    push: RecordingPushSender;
    callState: RedisCallStateStore;
    redis: Redis;
    controlPlane: ControlPlane;
    server: Server;
  }) {
    this.deps = parts.deps;
    this.push = parts.push;
    this.callState = parts.callState;
    this.#redis = parts.redis;
    this.#controlPlane = parts.controlPlane;
    this.#server = parts.server;
    this.baseUrl = `http://127.0.0.1:${portOf(parts.server)}`;
  }

  static async start(options: HarnessOptions): Promise<ControlPlaneHarness> {
    const logger = createLogger('control-plane-test');
    const redis = connectRedis(options.redisUrl, logger);
    await redisReady(redis);
    // Each harness starts from an empty Redis: no call from an earlier test is active.
    if (!options.keepRedisData) await redis.flushall();
    const push = new RecordingPushSender();
    const callState = new RedisCallStateStore(redis);
    const deps: ControlPlaneDeps = {
      directory: options.directory ?? new InMemoryDirectory(loadDirectoryData()),
      push,
      placement: options.placement ?? new InMemoryPlacement(pods),
      notifier: new RedisEmitterNotifier(redis, logger),
      // The harness's devices are sockets on a test server that records no presence: every member
      // counts as connected (whether members are unreachable is tested with real pods, in the cluster tests).
      onlineUsers: { whoIsOnline: async (userIds) => new Set(userIds) },
      callState,
      ringDeadlines: new RedisRingDeadlines(redis),
      callEvents: options.callEvents ?? noCallEvents,
      auth:
        options.auth ??
        createAccessTokenVerifier({
          keys: { kind: 'shared-secret', secret: accessTokenSecret },
          issuer: accessTokenIssuer,
          audience: accessTokenAudience,
        }),
      rateLimits: createCallRateLimits(
        { ...defaultCallRateLimitSettings, ...options.rateLimits },
        { kind: 'redis', redis },
      ),
      tickets: createTicketSigner({ privateKey: ticketKeys.privateKey }),
      serviceTokenKey: podServiceKey,
      clock: options.clock ?? { now: () => Date.now() },
      logger,
      metrics: new Metrics({ processMetrics: false }),
      readiness: [redisReadiness(redis)],
      config: {
        ringTimeoutMs: options.ringTimeoutMs ?? 60_000,
        avatarBaseUrl: undefined,
        turn: options.turn && new TurnCredentials(options.turn, options.clock ?? { now: () => Date.now() }),
      },
    };
    const controlPlane = createControlPlaneApp(deps);
    const server = await listen(controlPlane.app.fetch, { host: '127.0.0.1', port: 0 });
    return new ControlPlaneHarness({ deps, push, callState, redis, controlPlane, server });
  }

  /**
   * An HTTP request as `as` (an HS256 access token for that user), as the pod
   * `asPod` (a service token it signed), or with the given headers.
   */
  async request(
    method: string,
    path: string,
    options: {
      as?: string;
      asPod?: string;
      body?: unknown;
      /** Sent as it is, for bodies JSON.stringify would not make. */
      rawBody?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = `Bearer ${await hs256Token(options.as)}`;
    if (options.asPod)
      headers.authorization = `Bearer ${await signServiceToken(podServiceKey, options.asPod)}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (metrics, empty 204): keep the text.
    }
    return { status: response.status, headers: response.headers, body };
  }

  /**
   * Waits until everything the control plane published so far has reached
   * these devices: a marker goes out after it on the same Redis connection
   * (Redis delivers one connection's messages in order) and every device
   * must receive it. Then "nothing else arrived" is a fact, not a guess made
   * after a sleep.
   */
  async settle(devices: readonly Device[]): Promise<void> {
    const id = `marker-${++this.#markers}`;
    const rooms = [...new Set(devices.map((d) => userRoom(d.userId)))];
    new Emitter(this.#redis).to(rooms).emit('test:marker', id);
    await Promise.all(devices.map((d) => d.waitForMarker(id)));
  }

  /** The Hono app, to list its routes. */
  get app(): ControlPlane['app'] {
    return this.#controlPlane.app;
  }

  /** Readiness turns 503, as on SIGTERM. */
  startDraining(): void {
    this.#controlPlane.startDraining();
  }

  async close(): Promise<void> {
    this.#controlPlane.startDraining();
    await stopServer(this.#server, 1_000);
    await this.#controlPlane.close();
    await closeRedis(this.#redis);
  }
}

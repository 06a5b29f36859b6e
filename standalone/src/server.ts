import { LogPushSender } from '@groupcall/control-plane/log-push-sender';
import type { PushSender } from '@groupcall/control-plane/push';
import { type TurnSettings, turnSettingsFromEnv } from '@groupcall/control-plane/turn-credentials';
import { type WebhookConfig, webhookConfigFromEnv } from '@groupcall/control-plane/webhooks';
import {
  authenticateHandshakes,
  ControlPlaneCallInitiator,
  ControlPlaneLifecycle,
  hostEverything,
  loadConfig,
  type MediaWorkerPool,
  type RoomRegistry,
  requireAuthenticatedIdentity,
  type SfuConfig,
  startSfuNode,
  TicketCallAccess,
  trustClaimedIdentity,
} from '@groupcall/sfu-worker/composition';
import { type Directory, InMemoryDirectory, loadDirectoryData } from '@groupcall/shared/directory';
import { createLogger, type Logger } from '@groupcall/shared/logging';
import { Hono } from 'hono';
import type { Server as SocketServer } from 'socket.io';
import { devTokenRoutes } from './embedded/dev-token-routes.ts';
import { embeddedControlPlane, embeddedPodName } from './embedded/embedded-control-plane.ts';
import { trustWarning } from './embedded/trust-warning.ts';

export interface EmbeddedServerOptions {
  /** Overrides on top of the environment's configuration. */
  config?: Partial<Omit<SfuConfig, 'media' | 'limits' | 'requestRates'>> & {
    media?: Partial<SfuConfig['media']>;
    limits?: Partial<SfuConfig['limits']>;
    requestRates?: Partial<SfuConfig['requestRates']>;
  };
  /** Shortcut for config.port; 0 picks a free port. */
  port?: number;
  directory?: Directory;
  push?: PushSender;
  /** How long members' devices ring unanswered. */
  ringTimeoutMs?: number;
  /** TURN servers for admission answers (default: TURN_URLS and TURN_SECRET[_FILE] from the environment). */
  turn?: TurnSettings;
  /** Where call events go (default: WEBHOOK_URL and WEBHOOK_SECRET[_FILE] from the environment). */
  webhooks?: WebhookConfig;
  log?: Logger;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8000 — the API (/v1), Socket.IO (/socket.io) and the demo page. */
  url: string;
  port: number;
  config: SfuConfig;
  io: SocketServer;
  media: MediaWorkerPool;
  rooms: RoomRegistry;
  push: PushSender;
  /** An access token for a user, as the Threads backend would issue (development only). */
  devToken(userId: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The embedded default's settings: everything on this machine, join(userId)
 * trusted, demo page on, and listening on loopback only, since anyone who
 * can reach a trusting server can be anyone.
 */
function embeddedConfig(options: EmbeddedServerOptions): SfuConfig {
  const base = loadConfig({
    GROUPCALL_DEV_TRUST_CLIENT_IDENTITY: 'true',
    DEMO_PAGE: 'true',
    HOST: '127.0.0.1',
    ...process.env,
  });
  const overrides = options.config ?? {};
  return {
    ...base,
    ...overrides,
    port: options.port ?? overrides.port ?? base.port,
    media: { ...base.media, ...overrides.media },
    limits: { ...base.limits, ...overrides.limits },
    requestRates: { ...base.requestRates, ...overrides.requestRates },
  };
}

/**
 * The whole product in one process with no external servers: the real
 * control plane (in-memory placement and call state, the demo directory,
 * push to the log) and an sfu-worker that reaches it exactly as a pod does,
 * only in-process; plus the demo page.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<RunningServer> {
  const config = embeddedConfig(options);
  const log = options.log ?? createLogger('groupcall');
  const push = options.push ?? new LogPushSender(log);
  const embedded = embeddedControlPlane({
    directory: options.directory ?? new InMemoryDirectory(loadDirectoryData()),
    push,
    log,
    avatarBaseUrl: config.avatarBaseUrl,
    ringTimeoutMs: options.ringTimeoutMs ?? Number(process.env.RING_TIMEOUT_SECONDS ?? 45) * 1000,
    turn: options.turn ?? turnSettingsFromEnv(process.env),
    webhooks: options.webhooks ?? webhookConfigFromEnv(process.env),
  });
  const { client, devTokens } = embedded;
  const identity = config.devTrustClientIdentity
    ? trustClaimedIdentity((userId) => devTokens.sign(userId))
    : requireAuthenticatedIdentity;
  if (config.devTrustClientIdentity) {
    log.warn({ identity: identity.name }, 'INSECURE identity mode: for development only');
    const exposed = trustWarning(config.host, config.port);
    if (exposed) log.warn({ host: config.host }, exposed);
  }

  const routes = new Hono().route('/', embedded.controlPlane.app);
  // Tokens for any user on request: only where join(userId) is believed anyway.
  if (config.devTrustClientIdentity) routes.route('/', devTokenRoutes(devTokens));
  if (config.demoPage) {
    const { demoRoutes } = await import('./http/demo-routes.ts');
    routes.route('/', await demoRoutes());
  }
  const node = await startSfuNode({
    config,
    log,
    socketPath: embedded.endpoint.path,
    access: new TicketCallAccess({
      ticketKey: embedded.ticketKey,
      podName: embeddedPodName,
      callState: embedded.callState,
      controlPlane: client,
    }),
    identity,
    hosting: hostEverything,
    lifecycle: new ControlPlaneLifecycle(embedded.callState, client, log),
    onlineUsers: embedded.onlineUsers,
    initiator: () => new ControlPlaneCallInitiator(client),
    routes,
    prepareSocketServer: (io, requests) => authenticateHandshakes(io, devTokens.verifier, log, requests),
  });
  embedded.notifier.connect(node.notifier);

  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const url = `http://${host}:${node.port}`;
  // What the control plane hands out as the signalling endpoint: reachable from
  // other machines only with PUBLIC_URL set (e.g. http://192.168.1.20:8000).
  embedded.endpoint.url = process.env.PUBLIC_URL ?? url;
  return {
    url,
    port: node.port,
    config,
    io: node.io,
    media: node.media,
    rooms: node.rooms,
    push,
    devToken: (userId) => devTokens.sign(userId),
    async close() {
      await node.close();
      await embedded.controlPlane.close();
      await embedded.callEvents.close();
    },
  };
}

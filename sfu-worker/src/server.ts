import { LogPushSender, type PushSender } from '@groupcall/shared/calls';
import { type Directory, InMemoryDirectory, loadDirectoryData } from '@groupcall/shared/directory';
import { createLogger, type Logger } from '@groupcall/shared/logging';
import { Hono } from 'hono';
import type { Server as SocketServer } from 'socket.io';
import { DirectoryCallAccess } from './access/directory-call-access.ts';
import { loadConfig, type SfuConfig } from './config.ts';
import type { MediaWorkerPool } from './media/media-worker-pool.ts';
import { hostEverything } from './registry/call-hosting.ts';
import type { RoomRegistry } from './rooms/room-registry.ts';
import { startSfuNode } from './sfu-node.ts';
import { DirectoryCallInitiator } from './signalling/call-initiator.ts';
import { requireAuthenticatedIdentity, trustClaimedIdentity } from './signalling/identity.ts';

export interface EmbeddedServerOptions {
  /** Overrides on top of the environment's configuration. */
  config?: Partial<Omit<SfuConfig, 'media' | 'limits'>> & {
    media?: Partial<SfuConfig['media']>;
    limits?: Partial<SfuConfig['limits']>;
  };
  /** Shortcut for config.port; 0 picks a free port. */
  port?: number;
  directory?: Directory;
  push?: PushSender;
  log?: Logger;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8000 */
  url: string;
  port: number;
  config: SfuConfig;
  io: SocketServer;
  media: MediaWorkerPool;
  rooms: RoomRegistry;
  push: PushSender;
  close(): Promise<void>;
}

/** The embedded default's settings: everything on this machine, join(userId) trusted, demo page on. */
function embeddedConfig(options: EmbeddedServerOptions): SfuConfig {
  const base = loadConfig({ GROUPCALL_DEV_TRUST_CLIENT_IDENTITY: 'true', DEMO_PAGE: 'true', ...process.env });
  const overrides = options.config ?? {};
  return {
    ...base,
    ...overrides,
    port: options.port ?? overrides.port ?? base.port,
    media: { ...base.media, ...overrides.media },
    limits: { ...base.limits, ...overrides.limits },
  };
}

/**
 * The whole product in one process with no external servers: an sfu-worker
 * with the demo directory, push to the log and the demo page.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<RunningServer> {
  const config = embeddedConfig(options);
  const log = options.log ?? createLogger('groupcall');
  const directory = options.directory ?? new InMemoryDirectory(loadDirectoryData());
  const push = options.push ?? new LogPushSender(log);
  const identity = config.devTrustClientIdentity ? trustClaimedIdentity : requireAuthenticatedIdentity;
  if (config.devTrustClientIdentity)
    log.warn({ identity: identity.name }, 'INSECURE identity mode: for development only');

  const routes = new Hono();
  if (config.demoPage) {
    const { demoRoutes } = await import('./http/demo-routes.ts');
    routes.route('/', await demoRoutes());
  }
  const node = await startSfuNode({
    config,
    log,
    socketPath: '/socket.io',
    access: new DirectoryCallAccess(directory, config.avatarBaseUrl),
    identity,
    hosting: hostEverything,
    initiator: (notifier) =>
      new DirectoryCallInitiator({ directory, notifier, push, avatarBaseUrl: config.avatarBaseUrl }),
    routes,
  });

  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${node.port}`,
    port: node.port,
    config,
    io: node.io,
    media: node.media,
    rooms: node.rooms,
    push,
    close: () => node.close(),
  };
}

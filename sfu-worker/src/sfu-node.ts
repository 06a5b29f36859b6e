import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserNotifier } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import type { OnlineUsersWriter } from '@groupcall/shared/presence';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server as SocketServer } from 'socket.io';
import type { CallAccess } from './access/call-access.ts';
import type { SfuConfig } from './config.ts';
import { healthRoutes } from './http/health-routes.ts';
import { metricsRoutes } from './http/metrics-routes.ts';
import type { CallLifecycle } from './lifecycle/call-lifecycle.ts';
import { Drain } from './lifecycle/drain.ts';
import { reportRoomLifecycle } from './lifecycle/report-call-lifecycle.ts';
import { MediaWorkerPool } from './media/media-worker-pool.ts';
import { loadMediasoup } from './media/worker-binary.ts';
import { CallQualitySampler } from './metrics/call-quality-sampler.ts';
import { type RequestObserver, SfuMetrics } from './metrics/sfu-metrics.ts';
import type { CallHosting } from './registry/call-hosting.ts';
import { EmptyRoomGrace } from './rooms/empty-room-grace.ts';
import { ResumableParticipants } from './rooms/resumable-participants.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import { CallEndings } from './signalling/call-endings.ts';
import type { CallInitiator } from './signalling/call-initiator.ts';
import type { IdentityPolicy } from './signalling/identity.ts';
import { feedOnlineUsers } from './signalling/online-users-feed.ts';
import { createSocketServer, type Signalling, serveSignalling } from './signalling/signalling-server.ts';
import { SocketIoNotifier } from './signalling/socket-notifier.ts';

/** What differs between the embedded default and a production pod. */
export interface SfuNodeParts {
  config: SfuConfig;
  log: Logger;
  /** Socket.IO path: /socket.io embedded, /sfu/<pod>/socket.io on a pod. */
  socketPath: string;
  access: CallAccess;
  identity: IdentityPolicy;
  hosting: CallHosting;
  lifecycle: CallLifecycle;
  /** Where this node records which users have a device connected (whether they can ring). */
  onlineUsers: OnlineUsersWriter;
  /** Built once the Socket.IO server exists (it may use its notifier). */
  initiator: (notifier: UserNotifier) => CallInitiator;
  /** Extra HTTP routes (control plane API, demo page) mounted before Socket.IO. */
  routes?: Hono;
  /** Extra readiness condition (e.g. registered in Redis). */
  ready?: () => boolean;
  /** Prepares the Socket.IO server before it serves (e.g. the Redis adapter, handshake auth). */
  prepareSocketServer?: (io: SocketServer, requests: RequestObserver) => void;
}

export interface SfuNode {
  httpServer: HttpServer;
  port: number;
  io: SocketServer;
  notifier: UserNotifier;
  media: MediaWorkerPool;
  rooms: RoomRegistry;
  drain: Drain;
  signalling: Signalling;
  close(): Promise<void>;
}

/**
 * The part every sfu-worker runs: mediasoup Workers, call rooms, an HTTP
 * server with health probes, and Socket.IO signalling on it.
 */
export async function startSfuNode(parts: SfuNodeParts): Promise<SfuNode> {
  const { config, log } = parts;
  const media = await MediaWorkerPool.start(await loadMediasoup(), config.media, log);
  const rooms = new RoomRegistry(media, log, config.media.maxParticipantsPerRouter);
  const drain = new Drain(rooms, log);
  for (const event of ['roomClosed', 'roomInterrupted'] as const) {
    rooms.on(event, (room) => void parts.hosting.release(room.id, room.callId));
  }
  reportRoomLifecycle(rooms, parts.lifecycle, log);

  let io: SocketServer | undefined;
  const ready = () => !drain.draining && media.workers.some((w) => !w.closed) && (parts.ready?.() ?? true);
  const metrics = new SfuMetrics({
    rooms,
    media,
    connections: () => io?.engine.clientsCount ?? 0,
    draining: () => drain.draining,
    ready,
  });
  const sampler = new CallQualitySampler({
    devices: () => rooms.rooms.flatMap((room) => room.participants),
    metrics: metrics.calls,
    log,
  });
  sampler.start(config.callQualitySampleMs);

  const app = new Hono().route('/', healthRoutes({ ready })).route('/', metricsRoutes(metrics));
  if (parts.routes) app.route('/', parts.routes);
  const httpServer = await listen(app, config);
  io = createSocketServer(httpServer, {
    path: parts.socketPath,
    corsOrigins: config.corsOrigins,
    limits: config.limits,
  });
  parts.prepareSocketServer?.(io, metrics);
  feedOnlineUsers(io, parts.onlineUsers);
  const notifier = new SocketIoNotifier(io);
  const endings = new CallEndings({ lifecycle: parts.lifecycle, log, calls: metrics.calls });
  const signalling = serveSignalling(io, {
    registry: rooms,
    access: parts.access,
    identity: parts.identity,
    initiator: parts.initiator(notifier),
    notifier,
    hosting: parts.hosting,
    lifecycle: parts.lifecycle,
    endings,
    emptyRooms: new EmptyRoomGrace(rooms, config.emptyRoomGraceMs, (room) => endings.ended(room)),
    resumables: new ResumableParticipants(config.resumeGraceMs),
    requests: metrics,
    calls: metrics.calls,
    draining: () => drain.draining,
    limits: config.limits,
    requestRates: config.requestRates,
    rejoinGraceMs: config.rejoinGraceMs,
    unusedLayerGraceMs: config.unusedLayerGraceMs,
    log,
  });

  return {
    httpServer,
    port: (httpServer.address() as AddressInfo).port,
    io,
    notifier,
    media,
    rooms,
    drain,
    signalling,
    async close() {
      sampler.stop();
      signalling.interruptCalls(rooms.rooms, 'server-shutdown');
      await io.close(); // also closes the HTTP server
      media.close();
    },
  };
}

function listen(app: Hono, config: SfuConfig): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(server as HttpServer),
    );
    server.once('error', reject);
  });
}

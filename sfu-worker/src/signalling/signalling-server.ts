import type { Server as HttpServer } from 'node:http';
import { callRoom } from '@groupcall/shared/calls';
import { type CallInterrupted, ErrorMessage } from '@groupcall/shared/protocol';
import { Server, type Socket } from 'socket.io';
import type { SfuConfig } from '../config.ts';
import type { Room } from '../rooms/room.ts';
import { Connection, type ConnectionDeps } from './connection.ts';
import { replyError, splitArgs } from './request.ts';

export interface SignallingOptions {
  path: string;
  corsOrigins: string[];
  limits: SfuConfig['limits'];
}

/** JSON size of an event's arguments, ack callbacks excluded. */
function payloadBytes(args: unknown[]): number {
  return Buffer.byteLength(JSON.stringify(args.filter((a) => typeof a !== 'function')) ?? '');
}

/** The pod's Socket.IO server; `path` is where the ingress routes this pod's signalling. */
export function createSocketServer(httpServer: HttpServer, options: SignallingOptions): Server {
  return new Server(httpServer, {
    path: options.path,
    serveClient: false,
    maxHttpBufferSize: options.limits.maxPayloadBytes * 4,
    cors: options.corsOrigins.length > 0 ? { origin: options.corsOrigins } : undefined,
  });
}

/**
 * Signalling on a pod's Socket.IO server: one Connection per device, a per-message
 * size limit answered with the seed's error shape (the transport's own
 * hard limit, well above it, only disconnects abusive clients), and the
 * hand-off of interrupted calls to the devices that were in them.
 */
export interface Signalling {
  /** Ends calls on this pod: their devices are told why (callInterrupted), their members that they ended. */
  interruptCalls(rooms: Room[], reason: CallInterrupted['reason']): void;
}

export function serveSignalling(io: Server, deps: ConnectionDeps & { rejoinGraceMs: number }): Signalling {
  const connections = new Map<string, Connection>();
  const log = deps.log.child({ component: 'signalling' });

  io.on('connection', (socket: Socket) => {
    socket.use(([event, ...args], next) => {
      if (payloadBytes(args) <= deps.limits.maxPayloadBytes) return next();
      log.warn({ socketId: socket.id, event }, 'payload too large');
      replyError(socket, splitArgs(args).ack, ErrorMessage.payloadTooLarge);
    });
    connections.set(socket.id, new Connection(socket, { ...deps, log }));
    socket.once('disconnect', () => connections.delete(socket.id));
    log.debug({ socketId: socket.id }, 'socket connected');
  });

  // After a worker death the devices rejoin at once; the call has only ended
  // if nobody is back within the grace period.
  const pendingEnds = new Map<string, NodeJS.Timeout>();
  deps.registry.on('roomOpened', (room) => {
    room.speakers.on('activeSpeaker', (speaker) => io.to(callRoom(room.id)).emit('activeSpeaker', speaker));
    room.speakers.on('audioLevels', (levels) => io.to(callRoom(room.id)).emit('audioLevels', levels));
    clearTimeout(pendingEnds.get(room.id));
    pendingEnds.delete(room.id);
  });
  const endUnlessResumed = (conversationId: string) => {
    const timer = setTimeout(() => {
      pendingEnds.delete(conversationId);
      if (!deps.registry.get(conversationId)) void deps.endings.ended(conversationId);
    }, deps.rejoinGraceMs);
    timer.unref();
    pendingEnds.set(conversationId, timer);
  };

  const interruptCalls = (rooms: Room[], reason: CallInterrupted['reason']) => {
    for (const room of rooms) {
      for (const participant of room.participants)
        connections.get(participant.socketId)?.interrupt(room, reason);
      deps.registry.forceClose(room);
      if (reason === 'media-worker-died') endUnlessResumed(room.id);
      // A moved call goes on on another pod: nobody is told it ended.
      else if (reason === 'server-shutdown') void deps.endings.ended(room.id);
    }
  };
  deps.registry.on('roomInterrupted', (room) => interruptCalls([room], 'media-worker-died'));
  return { interruptCalls };
}

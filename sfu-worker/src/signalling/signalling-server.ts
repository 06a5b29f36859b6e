import type { Server as HttpServer } from 'node:http';
import { callRoom } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import { type CallInterrupted, ErrorMessage } from '@groupcall/shared/protocol';
import { Server, type Socket } from 'socket.io';
import type { RequestRates, SfuConfig } from '../config.ts';
import type { Room } from '../rooms/room.ts';
import type { CallEndings } from './call-endings.ts';
import { Connection, type ConnectionDeps } from './connection.ts';
import { ConnectionAdmission } from './connection-admission.ts';
import { guardedParser, REJECTED_PACKET_EVENT } from './guarded-parser.ts';
import { replyError, splitArgs } from './request.ts';
import { SocketRequestRate } from './request-rate.ts';

export interface SignallingOptions {
  path: string;
  corsOrigins: string[];
  limits: SfuConfig['limits'];
}

/**
 * What every event meets before its handler: a message the parser rejected
 * is answered `Payload too large`, one over the socket's rate `Too many
 * requests`, one nobody handles `Unknown event` (when it asked for an
 * answer); none of them reaches a handler. Nothing thrown here escapes.
 */
function screenRequests(socket: Socket, rate: SocketRequestRate, log: Logger): void {
  socket.use(([event, ...args], next) => {
    try {
      const { ack } = splitArgs(args);
      if (event === REJECTED_PACKET_EVENT) {
        log.info({ socketId: socket.id, ...(args[0] as object) }, 'payload too large');
        return replyError(socket, ack, ErrorMessage.payloadTooLarge);
      }
      if (!rate.admit(event)) {
        log.info({ socketId: socket.id, event: String(event).slice(0, 64) }, 'request rate exceeded');
        return replyError(socket, ack, ErrorMessage.tooManyRequests);
      }
      if (socket.listenerCount(event) === 0) return ack?.({ error: ErrorMessage.unknownEvent });
      next();
    } catch (error) {
      log.error({ socketId: socket.id, err: error }, 'signalling middleware failed');
      replyError(socket, splitArgs(args).ack, ErrorMessage.internal);
    }
  });
}

/** The pod's Socket.IO server; `path` is where the ingress routes this pod's signalling. */
export function createSocketServer(httpServer: HttpServer, options: SignallingOptions): Server {
  return new Server(httpServer, {
    path: options.path,
    serveClient: false,
    // Messages above this close the connection; those above maxPayloadBytes
    // (or nested deeper than maxPayloadDepth) are answered "Payload too large".
    maxHttpBufferSize: options.limits.maxPayloadBytes * 4,
    parser: guardedParser({
      maxBytes: options.limits.maxPayloadBytes,
      maxDepth: options.limits.maxPayloadDepth,
    }),
    cors: options.corsOrigins.length > 0 ? { origin: options.corsOrigins } : undefined,
  });
}

/**
 * Signalling on a pod's Socket.IO server: admission of sockets, one
 * Connection per device, per-message size and depth limits and a per-socket
 * request rate answered with the seed's error shape (the transport's own
 * hard limit, well above the size limit, only disconnects abusive clients),
 * and the hand-off of interrupted calls to the devices that were in them.
 */
export interface Signalling {
  /** Ends calls on this pod: their devices are told why (callInterrupted), their members that they ended. */
  interruptCalls(rooms: Room[], reason: CallInterrupted['reason']): void;
}

export function serveSignalling(
  io: Server,
  deps: Omit<ConnectionDeps, 'admission'> & {
    endings: CallEndings;
    rejoinGraceMs: number;
    requestRates: RequestRates;
  },
): Signalling {
  const connections = new Map<string, Connection>();
  const log = deps.log.child({ component: 'signalling' });
  const admission = new ConnectionAdmission(deps.limits, log);

  io.on('connection', (socket: Socket) => {
    screenRequests(socket, new SocketRequestRate(deps.requestRates), log);
    connections.set(socket.id, new Connection(socket, { ...deps, admission, log }));
    socket.once('disconnect', () => connections.delete(socket.id));
    admission.connected(socket, socket.data.userId as string | undefined);
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
  const endUnlessResumed = (room: Room) => {
    const timer = setTimeout(() => {
      pendingEnds.delete(room.id);
      if (!deps.registry.get(room.id)) deps.endings.ended(room);
    }, deps.rejoinGraceMs);
    timer.unref();
    pendingEnds.set(room.id, timer);
  };

  const interruptCalls = (rooms: Room[], reason: CallInterrupted['reason']) => {
    for (const room of rooms) {
      // A resumed participant's connection is not the one it entered with: every connection checks.
      for (const connection of connections.values()) connection.interrupt(room, reason);
      deps.registry.forceClose(room);
      if (reason === 'media-worker-died') endUnlessResumed(room);
      // A moved call goes on on another pod: nobody is told it ended.
      else if (reason === 'server-shutdown') deps.endings.ended(room);
    }
  };
  deps.registry.on('roomInterrupted', (room) => interruptCalls([room], 'media-worker-died'));
  return { interruptCalls };
}

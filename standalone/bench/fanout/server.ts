import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import {
  createSocketServer,
  loadConfig,
  SocketIoNotifier,
  useRedisAdapter,
} from '@groupcall/sfu-worker/composition';
import { callRoom, userRoom } from '@groupcall/shared/calls';
import { type DirectoryData, InMemoryDirectory } from '@groupcall/shared/directory';
import { createLogger } from '@groupcall/shared/logging';
import type { Server } from 'socket.io';
import { startEmbeddedServer } from '../../src/server.ts';
import { serveIpc } from '../harness/ipc.ts';
import { type WsSocket, workspaceRequire } from '../harness/workspace-deps.ts';
import { type Group, incomingCall, newProducer } from './payloads.ts';

/**
 * The system under test of the fan-out benchmark, alone on its core:
 *  - `socketio`: the embedded sfu-worker's Socket.IO server, as the product runs it;
 *  - `socketio-redis`: the same with the product's Redis adapter (useRedisAdapter);
 *  - `socketio-bare`: Socket.IO as the product configures it (createSocketServer) but
 *    without the product's signalling: `join` only joins the user room;
 *  - `ws`: a bare `ws` server sending the same bytes (the raw-WebSocket baseline).
 * User events go through the product's SocketIoNotifier (io.to(userRooms)),
 * newProducer through `socket.to(callRoom)` exactly as Connection#produce does.
 * Run with --expose-gc so memory is measured after collection.
 */
type Mode = 'socketio' | 'socketio-redis' | 'socketio-bare' | 'ws';

const mode = process.argv[2] as Mode;
const redisUrl = process.argv[3];
const log = createLogger('fanout-bench', 'warn');
interface Target {
  url: string;
  memory(): { rssBytes: number; heapBytes: number };
  joinCalls(groups: Group[]): Promise<void>;
  /** One emit of `event` to one group (everyone but the caller/producer): 24 deliveries for 25 members. */
  emit(event: string, group: Group): void;
}

function memory() {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapBytes: m.heapUsed };
}

/** The product: the embedded sfu-worker (its control plane in-process, no demo page). */
async function productServer(users: string[], groups: Group[]): Promise<{ io: Server; url: string }> {
  const data: DirectoryData = {
    users: users.map((id) => ({ id, name: id, avatar: null, fcmTokens: [] })),
    conversations: groups.map((g) => ({ id: g.id, name: g.id, avatar: null, members: g.members })),
  };
  const server = await startEmbeddedServer({
    port: 0,
    directory: new InMemoryDirectory(data),
    log,
    config: {
      host: '127.0.0.1',
      demoPage: false,
      media: { numWorkers: 1, portBase: 0, listenIp: '127.0.0.1' },
    },
  });
  if (mode === 'socketio-redis') useRedisAdapter(server.io, redisUrl as string, log);
  return { io: server.io, url: server.url };
}

/** Socket.IO configured as the product does it, with only `join` (user room + ack) on each socket. */
async function bareSocketIoServer(): Promise<{ io: Server; url: string }> {
  const http = createServer();
  const io = createSocketServer(http, { path: '/socket.io', corsOrigins: [], limits: loadConfig({}).limits });
  io.on('connection', (socket) => {
    socket.on('join', async (userId: string, ack: (answer: unknown) => void) => {
      await socket.join(userRoom(userId));
      ack({ success: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function socketIoTarget(users: string[], groups: Group[]): Promise<Target> {
  const server = mode === 'socketio-bare' ? await bareSocketIoServer() : await productServer(users, groups);
  const notifier = new SocketIoNotifier(server.io);
  const socketOf = (userId: string) => {
    const id = server.io.of('/').adapter.rooms.get(userRoom(userId))?.values().next().value;
    const socket = id && server.io.of('/').sockets.get(id);
    if (!socket) throw new Error(`${userId} is not connected`);
    return socket;
  };
  return {
    url: server.url,
    memory,
    // Call rooms as Connection#enter leaves them (socket.join(callRoom)), without creating media.
    async joinCalls(all) {
      for (const group of all)
        for (const member of group.members) await socketOf(member).join(callRoom(group.id));
    },
    emit(event, group) {
      if (event === 'group_call_incoming') {
        notifier.notifyUsers(group.members.slice(1), 'group_call_incoming', incomingCall(group));
      } else {
        const socket = socketOf(group.members[0] as string);
        socket.to(callRoom(group.id)).emit('newProducer', newProducer(group, socket.id));
      }
    },
  };
}

async function rawWsTarget(): Promise<Target> {
  const { WebSocketServer } = workspaceRequire.ws();
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const byUser = new Map<string, WsSocket>();
  wss.on('connection', (ws, req) => {
    const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? '';
    byUser.set(user, ws);
    ws.send('joined');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    memory,
    async joinCalls() {},
    emit(event, group) {
      // Encoded once per emit, like a Socket.IO broadcast; then one frame per socket.
      const payload =
        event === 'group_call_incoming' ? incomingCall(group) : newProducer(group, 'x'.repeat(20));
      const frame = `42${JSON.stringify([event, payload])}`;
      for (const member of group.members.slice(1)) byUser.get(member)?.send(frame);
    },
  };
}

let target: Target;
serveIpc({
  start: async (arg: { users: string[]; groups: Group[] }) => {
    target = mode === 'ws' ? await rawWsTarget() : await socketIoTarget(arg.users, arg.groups);
    return target.url;
  },
  memory: () => target.memory(),
  joinCalls: (groups: Group[]) => target.joinCalls(groups),
  /** `rounds` emits to every group; yields to the event loop after each round so sockets drain. */
  blast: async (arg: { event: string; rounds: number; groups: Group[] }) => {
    for (let r = 0; r < arg.rounds; r++) {
      for (const group of arg.groups) target.emit(arg.event, group);
      await yieldToIo();
    }
  },
});

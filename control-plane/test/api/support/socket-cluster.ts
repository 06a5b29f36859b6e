import { createServer, type Server as HttpServer } from 'node:http';
import { userRoom } from '@groupcall/shared/calls';
import type { ServerToClientEvents } from '@groupcall/shared/protocol';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { waitUntil } from './servers.ts';

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * A real Socket.IO server with the Redis adapter, standing in for an
 * sfu-worker pod: each socket joins its user's room (the test trusts the
 * handshake's userId; the real pod verifies a token). Events the control
 * plane publishes through Redis arrive here as they would in production.
 */
export class SocketCluster {
  readonly #http: HttpServer;
  readonly #io: Server;
  readonly #redis: Redis[];
  readonly #url: string;
  readonly #devices: Device[] = [];

  private constructor(http: HttpServer, io: Server, redis: Redis[], url: string) {
    this.#http = http;
    this.#io = io;
    this.#redis = redis;
    this.#url = url;
  }

  static async start(redisUrl: string): Promise<SocketCluster> {
    const pub = new Redis(redisUrl);
    const sub = new Redis(redisUrl);
    const http = createServer();
    const io = new Server(http, { adapter: createAdapter(pub, sub) });
    io.on('connection', async (socket) => {
      await socket.join(userRoom(String(socket.handshake.auth.userId)));
      socket.emit('test:joined');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    // The adapter subscribes in the background; until its pattern
    // subscription is in place, published events would be lost.
    await waitUntil(async () => Number(await pub.pubsub('NUMPAT')) > 0, {
      description: 'the Socket.IO Redis adapter subscribed',
    });
    const address = http.address();
    if (address === null || typeof address === 'string')
      throw new Error('Socket.IO server has no TCP address');
    return new SocketCluster(http, io, [pub, sub], `http://127.0.0.1:${address.port}`);
  }

  /** A device of `userId`, connected and in the user's room. */
  async connect(userId: string): Promise<Device> {
    const socket: Socket = connect(this.#url, {
      auth: { userId },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const device = new Device(userId, socket);
    this.#devices.push(device);
    await new Promise<void>((resolve, reject) => {
      socket.once('test:joined', () => resolve());
      socket.once('connect_error', reject);
    });
    return device;
  }

  async close(): Promise<void> {
    for (const device of this.#devices) device.socket.disconnect();
    await new Promise<void>((resolve) => this.#io.close(() => resolve()));
    this.#http.closeAllConnections();
    await Promise.all(this.#redis.map((r) => r.quit()));
  }
}

/** One connected device: records every event it receives. */
export class Device {
  readonly userId: string;
  readonly socket: Socket;
  readonly received: { event: string; payload: unknown }[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(userId: string, socket: Socket) {
    this.userId = userId;
    this.socket = socket;
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ event, payload });
      for (const wake of this.#waiters) wake();
    });
  }

  /** Payloads of `event` received so far. */
  events<E extends EventName>(event: E): Payload<E>[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as Payload<E>);
  }

  /** Names of the protocol events received so far, in order (test markers left out). */
  eventNames(): string[] {
    return this.received.map((r) => r.event).filter((name) => !name.startsWith('test:'));
  }

  /** Resolves once the test marker `id` arrived (see settle()). */
  waitForMarker(id: string, timeoutMs = 5_000): Promise<void> {
    return this.#waitUntil(
      () => this.received.some((r) => r.event === 'test:marker' && r.payload === id),
      `marker ${id}`,
      timeoutMs,
    );
  }

  /** Resolves with the first `event` payload that matches, received before or within the timeout. */
  async waitFor<E extends EventName>(
    event: E,
    matches: (payload: Payload<E>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Payload<E>> {
    await this.#waitUntil(() => this.events(event).some(matches), event, timeoutMs);
    return this.events(event).find(matches) as Payload<E>;
  }

  #waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(
          new Error(
            `device of user ${this.userId} got no ${what} in ${timeoutMs} ms; got ${this.eventNames()}`,
          ),
        );
      }, timeoutMs);
      const wake = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
      wake();
    });
  }

  /** Forgets what was received (between steps of a test). */
  clear(): void {
    this.received.length = 0;
  }
}

import type { ServerToClientEvents } from '@groupcall/shared/protocol';
import { io, type Socket } from 'socket.io-client';

type EventName = keyof ServerToClientEvents;
type EventPayload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/** Ack responses are loosely typed here on purpose: tests assert their exact shape. */
// biome-ignore lint/suspicious/noExplicitAny: responses are checked by the assertions themselves
type Response = Record<string, any>;

/**
 * A real socket.io-client connection with helpers to send acked requests
 * and to await or count server events — no sleeps: every wait is for an
 * event, with a deadline.
 */
export class TestClient {
  readonly socket: Socket;
  readonly #received = new Map<string, unknown[]>();
  #id = '';
  #disconnectReason: string | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.once('connect', () => {
      this.#id = socket.id ?? '';
    });
    socket.on('disconnect', (reason) => {
      this.#disconnectReason = reason;
    });
    // Listening before the connection is up: what the server sends right after it is not missed.
    socket.onAny((event: string, payload: unknown) => {
      const list = this.#received.get(event) ?? [];
      list.push(payload);
      this.#received.set(event, list);
    });
  }

  /** `path` is a pod's sticky Socket.IO path; `token` an access token for the handshake. */
  static async connect(url: string, options: { path?: string; token?: string } = {}): Promise<TestClient> {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      path: options.path ?? '/socket.io',
      auth: options.token ? { token: options.token } : {},
    });
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return client;
  }

  /** The socket id, kept after disconnecting (socket.io-client clears its own). */
  get id(): string {
    return this.#id;
  }

  /** Resolves when the server has closed this connection (or it was closed here), with the reason. */
  disconnected(timeoutMs = 10_000): Promise<string> {
    if (this.#disconnectReason) return Promise.resolve(this.#disconnectReason);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the disconnect')), timeoutMs);
      this.socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  /** A client that has emitted join(userId). */
  static async joined(
    url: string,
    userId: string,
    options: { path?: string; token?: string } = {},
  ): Promise<TestClient> {
    const client = await TestClient.connect(url, options);
    await client.request('join', userId);
    return client;
  }

  request(event: string, ...args: unknown[]): Promise<Response> {
    return this.socket.timeout(10_000).emitWithAck(event, ...args);
  }

  emit(event: string, ...args: unknown[]): void {
    this.socket.emit(event, ...args);
  }

  /** Payloads of `event` received so far. */
  received<E extends EventName>(event: E): EventPayload<E>[] {
    return (this.#received.get(event) ?? []) as EventPayload<E>[];
  }

  /** Resolves with the first (already received or future) payload of `event` matching `match`. */
  waitFor<E extends EventName>(
    event: E,
    match: (payload: EventPayload<E>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<EventPayload<E>> {
    const already = this.received(event).find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off(event, listener as never);
        reject(new Error(`timed out waiting for ${event}`));
      }, timeoutMs);
      const listener = (payload: EventPayload<E>) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        this.socket.off(event, listener as never);
        resolve(payload);
      };
      this.socket.on(event, listener as never);
    });
  }

  /**
   * A round trip through the server: every event the server sent before
   * answering this has arrived, so counts taken after it are final.
   */
  async settle(): Promise<void> {
    await this.request('getProducers');
  }

  close(): void {
    this.socket.disconnect();
  }
}

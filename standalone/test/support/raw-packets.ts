import type { Socket } from 'socket.io-client';

/**
 * Socket.IO event packets written as raw text on a connected socket's
 * engine.io connection: what a hostile client can send that socket.io-client
 * itself would refuse to encode (a payload nested 30,000 deep overflows its
 * JSON.stringify). Acks are read from the raw packets the server sends back.
 */
export class RawPackets {
  readonly #socket: Socket;
  // Far above socket.io-client's own ack ids, so answers are never mixed up.
  #nextId = 1_000_000;
  readonly #waiting = new Map<number, (args: unknown[]) => void>();

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.io.engine.on('message', (data: unknown) => {
      const ack = typeof data === 'string' ? /^3(\d+)(\[.*)$/s.exec(data) : null;
      if (!ack?.[1] || !ack[2]) return;
      const id = Number(ack[1]);
      this.#waiting.get(id)?.(JSON.parse(ack[2]) as unknown[]);
      this.#waiting.delete(id);
    });
  }

  /** Sends `eventJson` (the text of `[event, ...args]`) asking for an ack; resolves with the ack's arguments. */
  request(eventJson: string, timeoutMs = 10_000): Promise<unknown[]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`no answer within ${timeoutMs} ms to ${eventJson.slice(0, 80)}`));
      }, timeoutMs);
      this.#waiting.set(id, (args) => {
        clearTimeout(timer);
        resolve(args);
      });
      this.#socket.io.engine.write(`2${id}${eventJson}`);
    });
  }

  /** Sends `eventJson` without asking for an ack. */
  send(eventJson: string): void {
    this.#socket.io.engine.write(`2${eventJson}`);
  }
}

/** `[...[]...]` nested `depth` deep, as JSON text. */
export function nestedArrayJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

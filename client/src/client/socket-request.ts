import type { Socket } from 'socket.io-client';
import { isErrorAck } from '../protocol/client-events.ts';
import type { AckCallback, ClientToServerEvents, ServerToClientEvents } from '../protocol/socket-events.ts';
import { RequestTimeoutError, SignallingError } from './errors.ts';

export type GroupCallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Matches any ack callback (`never` because callbacks are contravariant in their argument). */
type AnyAck = (response: never) => void;

/** Client events the server answers through an ack callback (its last argument). */
export type RequestEvent = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [...unknown[], AnyAck]
    ? E
    : never;
}[keyof ClientToServerEvents];

/** The arguments before the ack: `[payload]`, or nothing (`getProducers`). */
export type RequestPayload<E extends RequestEvent> =
  Parameters<ClientToServerEvents[E]> extends [...infer Payload, AnyAck] ? Payload : never;

/** The success shape of an event's ack (the `{ error }` shape becomes a rejection). */
export type RequestResult<E extends RequestEvent> =
  Parameters<ClientToServerEvents[E]> extends [...unknown[], AckCallback<infer Result>] ? Result : never;

export type SocketRequest = <E extends RequestEvent>(
  event: E,
  ...payload: RequestPayload<E>
) => Promise<RequestResult<E>>;

/**
 * The request half of Socket.IO, seen without its per-event typing: the typed
 * `emit` cannot be called with a generic event name, and `socketRequest`
 * restores the typing at its own signature.
 */
interface UntypedTimeoutEmitter {
  timeout(ms: number): { emit(event: string, ...args: unknown[]): void };
}

/**
 * The guide's `socketRequest` helper: emits `event` with its payload and
 * resolves with the ack, or rejects with a SignallingError when the ack is
 * `{ error }` and with a RequestTimeoutError when no ack comes in time.
 * Requests made while disconnected are buffered by Socket.IO and count
 * against the same timeout.
 */
export function createSocketRequest(socket: GroupCallSocket, timeoutMs = 10_000): SocketRequest {
  const emitter = socket as unknown as UntypedTimeoutEmitter;
  return <E extends RequestEvent>(event: E, ...payload: RequestPayload<E>) =>
    new Promise<RequestResult<E>>((resolve, reject) => {
      emitter.timeout(timeoutMs).emit(event, ...payload, (timedOut: Error | null, ack: unknown) => {
        if (timedOut) reject(new RequestTimeoutError(event, timeoutMs));
        else if (isErrorAck(ack)) reject(new SignallingError(event, ack.error));
        // The event map types the ack; the server builds it from the same schemas.
        else resolve(ack as RequestResult<E>);
      });
    });
}

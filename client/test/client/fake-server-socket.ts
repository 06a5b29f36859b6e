import { Device, FakeHandler, testFakeParameters } from 'mediasoup-client';
import type { GroupCallSocket } from '../../src/client/index.ts';
import type { ProducerListItem } from '../../src/protocol/index.ts';

type Listener = (payload: unknown) => void;
/** Computes the ack of a request; a promise that never settles leaves the request unanswered. */
type Responder = (payload: unknown) => unknown;

/**
 * The client's view of a Socket.IO socket, with the server played by the
 * test: requests are answered by responders, server events are pushed with
 * `serverEmit`, and everything the client sent is recorded in `sent`.
 */
export class FakeServerSocket {
  readonly id = 'my-socket';
  readonly sent: Array<{ event: string; payload: unknown }> = [];
  readonly #listeners = new Map<string, Listener[]>();
  readonly #managerListeners = new Map<string, Array<() => void>>();
  readonly #responders = new Map<string, Responder>();
  readonly io = {
    on: (event: string, listener: () => void) => {
      this.#managerListeners.set(event, [...(this.#managerListeners.get(event) ?? []), listener]);
    },
  };

  answer(event: string, responder: Responder): void {
    this.#responders.set(event, responder);
  }

  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    this.sent.push({ event, payload: args[0] });
    return this;
  }

  timeout(_ms: number) {
    return {
      emit: (event: string, ...args: unknown[]) => {
        const ack = args.pop() as (error: Error | null, response?: unknown) => void;
        this.sent.push({ event, payload: args[0] });
        const responder = this.#responders.get(event);
        if (!responder) throw new Error(`the fake server has no answer for ${event}`);
        void Promise.resolve(responder(args[0])).then((response) => ack(null, response));
      },
    };
  }

  serverEmit(event: string, payload: unknown): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(payload);
  }

  /** The Socket.IO manager re-established the connection. */
  reconnect(): void {
    for (const listener of this.#managerListeners.get('reconnect') ?? []) listener();
  }

  events(): string[] {
    return this.sent.map((message) => message.event);
  }

  asSocket(): GroupCallSocket {
    return this as unknown as GroupCallSocket;
  }
}

/** A Device on mediasoup-client's fake handler: no browser, no WebRTC. */
export const createFakeDevice = () =>
  new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) });

/**
 * Answers every media request as a server would, with the room holding
 * `producers` (what `getProducers` returns).
 */
export function answerLikeServer(server: FakeServerSocket, producers: () => ProducerListItem[]): void {
  server.answer('createRoom', () => ({
    rtpCapabilities: testFakeParameters.generateRouterRtpCapabilities(),
  }));
  server.answer('createTransport', () => testFakeParameters.generateTransportRemoteParameters());
  server.answer('connectTransport', () => ({ success: true }));
  server.answer('getProducers', () => ({ producers: producers() }));
  server.answer('consume', (payload) => {
    const { producerId } = payload as { producerId: string };
    const kind = producerId.includes('video') ? 'video' : 'audio';
    const codecMimeType = kind === 'video' ? 'video/VP8' : 'audio/opus';
    return { ...testFakeParameters.generateConsumerRemoteParameters({ codecMimeType }), producerId };
  });
  server.answer('resumeConsumer', () => ({ success: true }));
}

import type { types } from 'mediasoup-client';
import type { SocketRequest } from './socket-request.ts';

/** A restart that has not brought the transport back is tried again after this long (doubling). */
const RETRY_AFTER_MS = 2_000;
/** Restarts in a row without the transport connecting, before it is left to the rejoin logic. */
const MAX_ATTEMPTS = 5;

/**
 * Keeps a call's transports connected across network changes (Wi-Fi to LTE,
 * a new address): when a transport's connection goes `disconnected` or
 * `failed`, or when told the network changed, it asks the server for new ICE
 * parameters (`restartIce`) and restarts ICE on the transport with them.
 * DTLS, producers and consumers stay: only the path is renegotiated.
 * One restart per transport at a time; a restart that does not bring the
 * transport back is retried a few times with backoff.
 */
export class IceRestarts {
  readonly #request: SocketRequest;
  readonly #transports: readonly types.Transport[];
  readonly #onError: (message: string) => void;
  readonly #running = new Set<types.Transport>();
  /** Asked to restart while a restart was running (it may have gone to a dead connection): once more after it. */
  readonly #again = new Set<types.Transport>();
  readonly #retries = new Map<types.Transport, ReturnType<typeof setTimeout>>();
  readonly #attempts = new Map<types.Transport, number>();
  #stopped = false;

  constructor(
    request: SocketRequest,
    transports: readonly types.Transport[],
    onError: (message: string) => void,
  ) {
    this.#request = request;
    this.#transports = transports;
    this.#onError = onError;
    for (const transport of transports) {
      transport.on('connectionstatechange', (state) => {
        if (state === 'connected') this.#settled(transport);
        else if (state === 'disconnected' || state === 'failed') void this.#restart(transport);
      });
    }
  }

  /** The device's network changed: restart ICE on every transport now. */
  restartAll(): void {
    for (const transport of this.#transports) {
      this.#attempts.delete(transport);
      void this.#restart(transport);
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#retries.values()) clearTimeout(timer);
    this.#retries.clear();
  }

  async #restart(transport: types.Transport): Promise<void> {
    if (this.#stopped || transport.closed) return;
    if (this.#running.has(transport)) {
      this.#again.add(transport);
      return;
    }
    clearTimeout(this.#retries.get(transport));
    this.#retries.delete(transport);
    const attempt = (this.#attempts.get(transport) ?? 0) + 1;
    if (attempt > MAX_ATTEMPTS) return;
    this.#attempts.set(transport, attempt);
    this.#running.add(transport);
    try {
      const { iceParameters } = await this.#request('restartIce', { transportId: transport.id });
      if (this.#stopped || transport.closed) return;
      await transport.restartIce({ iceParameters });
    } catch (error) {
      if (!this.#stopped && !transport.closed)
        this.#onError(`Could not restart ICE: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#running.delete(transport);
    }
    if (this.#again.delete(transport)) {
      void this.#restart(transport);
      return;
    }
    // A restart does not change the state by itself when the path stays down: check again later.
    if (!this.#stopped && !transport.closed && transport.connectionState !== 'connected') {
      this.#retries.set(
        transport,
        setTimeout(() => void this.#restart(transport), RETRY_AFTER_MS * 2 ** (attempt - 1)),
      );
    }
  }

  #settled(transport: types.Transport): void {
    this.#attempts.delete(transport);
    clearTimeout(this.#retries.get(transport));
    this.#retries.delete(transport);
  }
}

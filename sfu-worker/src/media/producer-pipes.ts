import type { types } from 'mediasoup';

/**
 * The producers of one call piped from the Router they were produced on to
 * the other Routers of the call (`router.pipeToRouter`), so a device on any of
 * its Routers can consume them. A producer is piped to a Router the first time
 * something there needs it, and at most once: concurrent requests share one
 * pipe. The copy keeps the producer's id, so consumers and clients never see
 * the difference.
 *
 * Closing needs nothing here: mediasoup closes the copy when the producer
 * closes (and pauses/resumes it with the producer); this only forgets it then.
 */
export class ProducerPipes {
  /** Pipes made or under way, by `producerId>routerId`. */
  readonly #pipes = new Map<string, Promise<void>>();

  /** Makes `producer` (on `from`) consumable on `to`; nothing to do when they are one Router. */
  bring(producer: types.Producer, from: types.Router, to: types.Router): Promise<void> {
    if (from === to) return Promise.resolve();
    const key = `${producer.id}>${to.id}`;
    let pipe = this.#pipes.get(key);
    if (!pipe) {
      pipe = this.#pipe(producer, from, to, key);
      this.#pipes.set(key, pipe);
      // A failed pipe is tried again by the next request, not remembered.
      pipe.catch(() => this.#pipes.delete(key));
    }
    return pipe;
  }

  /** Pipes made or under way (for inspection and tests). */
  get size(): number {
    return this.#pipes.size;
  }

  async #pipe(producer: types.Producer, from: types.Router, to: types.Router, key: string): Promise<void> {
    const { pipeProducer } = await from.pipeToRouter({ producerId: producer.id, router: to });
    if (!pipeProducer) throw new Error(`producer ${producer.id} could not be piped`);
    // The copy closes with its producer, with the target Router, or with the pipe transports.
    pipeProducer.observer.once('close', () => this.#pipes.delete(key));
  }
}

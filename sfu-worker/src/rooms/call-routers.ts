import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { CallMedia, MediaWorkerPool } from '../media/media-worker-pool.ts';
import { ProducerPipes } from '../media/producer-pipes.ts';

/** One Router of the call and how many of its devices have their transports there. */
interface RouterLeg {
  media: CallMedia;
  devices: number;
}

interface CallRoutersEvents {
  /** The Worker of one of the call's Routers died (mediasoup closed that Router). */
  workerLost: [];
}

/**
 * The Routers of one call. A call starts on one Router (one Worker, one
 * core); one Worker cannot forward a large all-video call, so once every
 * Router of the call holds `maxPerRouter` devices the next device gets a new
 * Router on a Worker of the pod the call does not use yet. Producers are piped
 * between the Routers when a device on another Router needs them.
 *
 * The first Router is the call's home: the call's RTP observers (who speaks)
 * live there, so audio is piped there from the others.
 */
export class CallRouters extends EventEmitter<CallRoutersEvents> {
  readonly #conversationId: string;
  readonly #pool: MediaWorkerPool;
  readonly #maxPerRouter: number;
  readonly #legs: RouterLeg[];
  readonly #pipes = new ProducerPipes();
  /** Placements one after another: two devices at a full Router must not open two new Routers. */
  #placing: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(conversationId: string, pool: MediaWorkerPool, maxPerRouter: number, home: CallMedia) {
    super();
    this.#conversationId = conversationId;
    this.#pool = pool;
    this.#maxPerRouter = maxPerRouter;
    this.#legs = [];
    this.#watch(home);
  }

  /** A call with its home Router on the pod's least-loaded Worker. */
  static async open(
    conversationId: string,
    pool: MediaWorkerPool,
    maxPerRouter: number,
  ): Promise<CallRouters> {
    return new CallRouters(conversationId, pool, maxPerRouter, await pool.createCallMedia(conversationId));
  }

  get home(): CallMedia {
    return (this.#legs[0] as RouterLeg).media;
  }

  get all(): CallMedia[] {
    return this.#legs.map((leg) => leg.media);
  }

  /**
   * Where a device entering the call gets its transports: the first Router
   * with room, else a new one on another Worker, else (every Worker has one)
   * the Router with the fewest devices. Counted until `release`.
   */
  place(): Promise<CallMedia> {
    const placed = this.#placing.then(() => this.#place());
    this.#placing = placed.catch(() => undefined);
    return placed;
  }

  /** The device placed on `media` left the call. */
  release(media: CallMedia): void {
    const leg = this.#legs.find((l) => l.media === media);
    if (leg) leg.devices--;
  }

  /** Makes a producer of a device on `from` consumable by a device on `to`. */
  bring(producer: types.Producer, from: CallMedia, to: CallMedia): Promise<void> {
    return this.#pipes.bring(producer, from.router, to.router);
  }

  close(): void {
    this.#closed = true;
    for (const leg of this.#legs) leg.media.router.close();
  }

  async #place(): Promise<CallMedia> {
    const leg = this.#legs.find((l) => l.devices < this.#maxPerRouter && !l.media.router.closed);
    const chosen = leg ?? (await this.#newLeg()) ?? this.#leastBusy();
    chosen.devices++;
    return chosen.media;
  }

  async #newLeg(): Promise<RouterLeg | undefined> {
    const inUse = this.#legs.map((l) => l.media.worker);
    const media = await this.#pool.createCallMediaBeside(this.#conversationId, inUse);
    if (!media) return undefined;
    if (this.#closed) {
      // The call ended while its new Router was being made.
      media.router.close();
      return undefined;
    }
    return this.#watch(media);
  }

  #watch(media: CallMedia): RouterLeg {
    const leg = { media, devices: 0 };
    this.#legs.push(leg);
    media.router.once('workerclose', () => this.emit('workerLost'));
    return leg;
  }

  #leastBusy(): RouterLeg {
    return this.#legs.reduce((least, leg) => (leg.devices < least.devices ? leg : least));
  }
}

import { EventEmitter } from 'node:events';
import { CallError } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import { ErrorMessage } from '@groupcall/shared/protocol';
import type { types } from 'mediasoup';
import type { SfuConfig } from '../config.ts';
import { routerMediaCodecs } from './codecs.ts';

type Mediasoup = typeof import('mediasoup');

/** One mediasoup Worker (a C++ process on one core) with its WebRtcServer. */
interface WorkerSlot {
  index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  /** Routers (calls) currently hosted: the load used to place new calls. */
  routers: number;
}

export interface CallMedia {
  router: types.Router;
  webRtcServer: types.WebRtcServer;
  /** The Worker the Router runs on: a call spread over Workers uses each one once. */
  worker: types.Worker;
}

interface PoolEvents {
  /** A Worker died and was replaced; its routers emitted 'workerclose'. */
  workerReplaced: [index: number];
}

/**
 * The mediasoup Workers of this pod, one per core by default. Every Worker
 * owns a WebRtcServer so all of its transports share one UDP and one TCP
 * port (base + index): media nodes open a handful of ports, not a range.
 * New calls go to the Worker hosting the fewest routers. A Worker that dies
 * is replaced on the same ports; the calls it hosted are closed by mediasoup
 * (their routers emit 'workerclose') and their rooms tell participants.
 */
export class MediaWorkerPool extends EventEmitter<PoolEvents> {
  readonly #mediasoup: Mediasoup;
  readonly #config: SfuConfig['media'];
  readonly #log: Logger;
  readonly #slots: WorkerSlot[] = [];
  #closed = false;

  private constructor(mediasoup: Mediasoup, config: SfuConfig['media'], log: Logger) {
    super();
    this.#mediasoup = mediasoup;
    this.#config = config;
    this.#log = log.child({ component: 'media-workers' });
  }

  static async start(
    mediasoup: Mediasoup,
    config: SfuConfig['media'],
    log: Logger,
  ): Promise<MediaWorkerPool> {
    const pool = new MediaWorkerPool(mediasoup, config, log);
    try {
      for (let index = 0; index < config.numWorkers; index++) pool.#slots.push(await pool.#startSlot(index));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get workers(): readonly types.Worker[] {
    return this.#slots.map((slot) => slot.worker);
  }

  /** A new Router for a call, on the least-loaded Worker. */
  async createCallMedia(conversationId: string): Promise<CallMedia> {
    const media = await this.createCallMediaBeside(conversationId, []);
    if (!media) throw new CallError('unavailable', ErrorMessage.serverBusy);
    return media;
  }

  /**
   * A further Router for a call that already has Routers on `inUse`: on the
   * least-loaded Worker that hosts none of them, or undefined when every live
   * Worker already does (the call then stays on the Routers it has).
   */
  async createCallMediaBeside(
    conversationId: string,
    inUse: readonly types.Worker[],
  ): Promise<CallMedia | undefined> {
    // A Worker that died is skipped until its replacement is up.
    const free = this.#slots.filter((s) => !s.worker.closed && !inUse.includes(s.worker));
    const slot = free.reduce<WorkerSlot | undefined>(
      (least, s) => (!least || s.routers < least.routers ? s : least),
      undefined,
    );
    if (!slot) return undefined;
    const router = await slot.worker.createRouter({
      mediaCodecs: routerMediaCodecs,
      appData: { conversationId },
    });
    slot.routers++;
    router.observer.once('close', () => slot.routers--);
    return { router, webRtcServer: slot.webRtcServer, worker: slot.worker };
  }

  close(): void {
    this.#closed = true;
    for (const slot of this.#slots) slot.worker.close();
  }

  async #startSlot(index: number): Promise<WorkerSlot> {
    const worker = await this.#mediasoup.createWorker({
      logLevel: this.#config.logLevel,
      appData: { index },
    });
    keepWorkerThroughSignals(worker);
    const port = this.#config.portBase === 0 ? undefined : this.#config.portBase + index;
    const listen = { ip: this.#config.listenIp, announcedAddress: this.#config.announcedIp, port };
    try {
      const webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ...listen },
          { protocol: 'tcp', ...listen },
        ],
      });
      const slot: WorkerSlot = { index, worker, webRtcServer, routers: 0 };
      worker.on('died', (error) => this.#onWorkerDied(slot, error));
      this.#log.info({ index, pid: worker.pid, port: port ?? 'any' }, 'mediasoup worker started');
      return slot;
    } catch (error) {
      worker.close();
      throw new Error(
        `cannot listen for media on ${listen.ip}:${port ?? 'any'}: ${(error as Error).message}`,
      );
    }
  }

  async #onWorkerDied(slot: WorkerSlot, error: Error): Promise<void> {
    this.#log.error({ index: slot.index, pid: slot.worker.pid, err: error.message }, 'mediasoup worker died');
    if (this.#closed) return;
    slot.routers = 0;
    for (let attempt = 1; !this.#closed; attempt++) {
      try {
        const replacement = await this.#startSlot(slot.index);
        if (this.#closed) {
          replacement.worker.close();
          return;
        }
        this.#slots[this.#slots.indexOf(slot)] = replacement;
        this.emit('workerReplaced', slot.index);
        return;
      } catch (startError) {
        const delay = Math.min(5000, 200 * 2 ** attempt);
        this.#log.error(
          { index: slot.index, attempt, err: (startError as Error).message },
          'worker restart failed',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

/**
 * mediasoup (3.19 does; 3.12 did not) closes every Worker when the process gets SIGINT
 * or SIGTERM. A pod drains on SIGTERM instead: its calls go on until they end
 * or the drain deadline (lifecycle/drain.ts), and the pool closes its Workers
 * itself. So mediasoup's listeners for this Worker go.
 */
function keepWorkerThroughSignals(worker: types.Worker): void {
  const onSignal = (worker as unknown as { onSignal?: unknown }).onSignal;
  if (typeof onSignal !== 'function') return;
  process.removeListener('SIGINT', onSignal as () => void);
  process.removeListener('SIGTERM', onSignal as () => void);
}

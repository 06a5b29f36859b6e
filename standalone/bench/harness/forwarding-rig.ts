import { routerMediaCodecs } from '@groupcall/sfu-worker/composition';
import type { types } from 'mediasoup';
import { type LoopbackListen, loadBenchMediasoup, loopbackListen } from './bench-mediasoup.ts';
import { ensureClip } from './media-clip.ts';
import { LOAD_CORE, pinToCore } from './proc.ts';
import { UdpSink } from './udp-sink.ts';

/** A Worker of the rig with the one Router the benchmark forwards through. */
export interface RigRouter {
  worker: types.Worker;
  router: types.Router;
}

/**
 * What the media benchmarks (forwarding.ts, call-capacity.ts, paused-profile.ts) stand on: this
 * controller on the load core, the cached clip, the mediasoup being driven
 * (bench-mediasoup.ts: the installed one or another version), and the UDP
 * sink the consumers send to. Workers, each with one Router with the
 * product's codecs, are added on the cores the benchmark chooses.
 */
export class ForwardingRig {
  readonly clip: string;
  readonly mediasoup: typeof import('mediasoup');
  /** PlainTransport listen options on loopback, as this mediasoup version names them. */
  readonly listen: LoopbackListen;
  readonly sink: UdpSink;
  readonly #workers: types.Worker[] = [];

  private constructor(clip: string, mediasoup: typeof import('mediasoup'), sink: UdpSink) {
    this.clip = clip;
    this.mediasoup = mediasoup;
    this.listen = loopbackListen(mediasoup);
    this.sink = sink;
  }

  static async start(): Promise<ForwardingRig> {
    // This controller is load, not the system under test: keep it off the Worker's core.
    pinToCore(process.pid, LOAD_CORE);
    const clip = ensureClip();
    const mediasoup = await loadBenchMediasoup();
    return new ForwardingRig(clip, mediasoup, await UdpSink.start(LOAD_CORE));
  }

  /** A new Worker pinned to `core`, with one Router. */
  async addRouter(core: number): Promise<RigRouter> {
    const worker = await this.mediasoup.createWorker({ logLevel: 'error' });
    this.#workers.push(worker);
    pinToCore(worker.pid, core);
    return { worker, router: await worker.createRouter({ mediaCodecs: routerMediaCodecs }) };
  }

  async close(): Promise<void> {
    for (const worker of this.#workers) worker.close();
    await this.sink.stop();
  }
}

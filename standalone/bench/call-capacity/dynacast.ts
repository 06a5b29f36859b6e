import { EventEmitter } from 'node:events';
import { LayerDemand, loadConfig } from '@groupcall/sfu-worker/composition';
import type { types } from 'mediasoup';
import type { FanoutReplay, ReplayRoute } from '../harness/fanout-replay.ts';
import { deadline } from '../harness/proc.ts';

/** The product's default: how long a layer nobody watches is still asked for (SIMULCAST_UNUSED_LAYER_GRACE_SECONDS). */
export const DYNACAST_GRACE_MS = loadConfig({}).unusedLayerGraceMs;

interface Sender {
  demand: LayerDemand;
  /** Its highest layer. */
  top: number;
  /** The highest layer the replay sends for this camera now (the last announcement it applied). */
  sending: number;
}

/**
 * Dynacast as the product runs it, with the replay in the senders' place:
 * per simulcast camera the server's LayerDemand, told of every consumer of
 * it on every Router of the call, announces the highest layer anybody
 * watches; the SDK's sender then pauses its encodings above that layer
 * (producer.setMaxSpatialLayer), which here is the replay no longer sending
 * that participant's RTP of those layers. Its mic is not touched.
 */
export class ReplayDynacast {
  readonly #replay: FanoutReplay;
  readonly #graceMs: number;
  readonly #senders = new Map<string, Sender>();
  /** Emits `applied` each time the replay has carried out an announcement. */
  readonly #events = new EventEmitter();
  /** The replay's changes, one after another, in the order the demands announced them. */
  #applying: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  #closed = false;

  constructor(replay: FanoutReplay, graceMs = DYNACAST_GRACE_MS) {
    this.#replay = replay;
    this.#graceMs = graceMs;
  }

  /** A participant's camera, sent by the replay on `layerRoutes` (lowest layer first). */
  add(producer: types.Producer, layerRoutes: readonly ReplayRoute[]): void {
    const top = layerRoutes.length - 1;
    // Announcements come from a timer or a consumer event, never while `of` runs.
    let sender: Sender | undefined;
    const demand = LayerDemand.of(producer, {
      graceMs: this.#graceMs,
      onChange: (layer) => sender && this.#apply(sender, layerRoutes, layer),
    });
    if (!demand) return;
    sender = { demand, top, sending: top };
    this.#senders.set(producer.id, sender);
  }

  /** A consumer of the camera `producerId` (on its own Router, or of the pipe producer on another). */
  track(producerId: string, consumer: types.Consumer): void {
    this.#senders.get(producerId)?.demand.track(consumer);
  }

  /**
   * Resolves once every camera's demand has announced `layer` (what every
   * consumer of the call asks for; its highest if none) and the replay sends
   * up to it.
   */
  async settled(layer: number | undefined, timeoutMs = this.#graceMs + 10_000): Promise<void> {
    const wanted = (s: Sender) => Math.min(layer ?? s.top, s.top);
    let check = () => {};
    const done = new Promise<void>((resolve, reject) => {
      check = () => {
        if (this.#failure) reject(this.#failure);
        else if (
          [...this.#senders.values()].every(
            (s) => s.demand.announced === wanted(s) && s.sending === wanted(s),
          )
        )
          resolve();
      };
    });
    this.#events.on('applied', check);
    check();
    try {
      await deadline(done, timeoutMs, `every sender's demand to announce layer ${layer ?? 'top'}`);
    } finally {
      this.#events.off('applied', check);
    }
  }

  /** The call ends: no more changes to the replay (its routes are about to go). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const { demand } of this.#senders.values()) demand.close();
    await this.#applying;
  }

  #apply(sender: Sender, layerRoutes: readonly ReplayRoute[], layer: number): void {
    const above = layerRoutes.slice(layer + 1);
    const upTo = layerRoutes.slice(0, layer + 1);
    this.#applying = this.#applying
      .then(async () => {
        if (this.#closed) return;
        if (above.length) await this.#replay.pause([...above], true);
        await this.#replay.pause([...upTo], false);
        sender.sending = layer;
        this.#events.emit('applied');
      })
      .catch((error: Error) => {
        this.#failure ??= error;
        this.#events.emit('applied');
      });
  }
}

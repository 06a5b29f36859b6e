import type { types } from 'mediasoup';

export interface LayerDemandOptions {
  /** How long a layer nobody wants any more is still asked for before the sender may pause it. */
  graceMs: number;
  /** The highest spatial layer wanted changed: tell the sender. */
  onChange: (spatialLayer: number) => void;
}

/**
 * Which simulcast layers of one camera anybody watches ("dynacast"). A
 * phone sends its camera as three layers whether its receivers show it full
 * screen or as thumbnails; every layer costs its uplink, its encoder and the
 * Worker, which hands every packet of every layer to every consumer. The
 * highest spatial layer any resumed consumer prefers is what the sender
 * needs to send: raised at once (a receiver waits for it), lowered only
 * after `graceMs` of nobody wanting more, so a tile that grows and shrinks
 * again does not restart the sender's encoders. The lowest layer is always
 * wanted, so a new receiver gets a picture at once.
 */
export class LayerDemand {
  readonly #top: number;
  readonly #options: LayerDemandOptions;
  readonly #consumers = new Set<types.Consumer>();
  /** What the sender was last told (at first: every layer, as it sends before it hears anything). */
  #announced: number;
  #lowering: NodeJS.Timeout | undefined;
  #closed = false;

  /** Demand for `producer`'s layers if it is simulcast video; undefined for anything with one layer. */
  static of(producer: types.Producer, options: LayerDemandOptions): LayerDemand | undefined {
    const layers = producer.rtpParameters.encodings?.length ?? 0;
    if (producer.kind !== 'video' || layers < 2) return undefined;
    const demand = new LayerDemand(layers, options);
    producer.observer.once('close', () => demand.close());
    // Nobody watches yet: the layers above the lowest are due to pause after the grace.
    demand.refresh();
    return demand;
  }

  private constructor(layers: number, options: LayerDemandOptions) {
    this.#top = layers - 1;
    this.#announced = this.#top;
    this.#options = options;
  }

  /** The highest spatial layer the sender was last told to send. */
  get announced(): number {
    return this.#announced;
  }

  /** Counts `consumer` (of this producer, on any Router of the call) from now until it closes. */
  track(consumer: types.Consumer): void {
    if (this.#closed) return;
    this.#consumers.add(consumer);
    consumer.observer.on('pause', () => this.refresh());
    consumer.observer.on('resume', () => this.refresh());
    consumer.observer.once('close', () => {
      this.#consumers.delete(consumer);
      this.refresh();
    });
    this.refresh();
  }

  /** A consumer's pause state or preferred layers changed: reconsider what to ask the sender for. */
  refresh(): void {
    if (this.#closed) return;
    const wanted = this.#wanted();
    if (wanted >= this.#announced) {
      clearTimeout(this.#lowering);
      this.#lowering = undefined;
      if (wanted > this.#announced) this.#announce(wanted);
      return;
    }
    this.#lowering ??= setTimeout(() => {
      this.#lowering = undefined;
      const now = this.#wanted();
      if (now < this.#announced) this.#announce(now);
    }, this.#options.graceMs);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#lowering);
    this.#consumers.clear();
  }

  #wanted(): number {
    let wanted = 0;
    for (const consumer of this.#consumers) {
      if (consumer.closed || consumer.paused) continue;
      const preferred = consumer.preferredLayers?.spatialLayer ?? this.#top;
      wanted = Math.max(wanted, Math.min(preferred, this.#top));
    }
    return wanted;
  }

  #announce(spatialLayer: number): void {
    this.#announced = spatialLayer;
    this.#options.onChange(spatialLayer);
  }
}

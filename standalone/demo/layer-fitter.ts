import { spatialLayerForTileHeight } from '@groupcall/client';

/**
 * Watches remote camera videos' on-screen size and asks for the simulcast
 * layer that size needs (in device pixels): once per change of layer, not
 * per frame of a resize. A failed request is retried on the next resize.
 */
export class LayerFitter {
  readonly #fit: (producerId: string, spatialLayer: number) => Promise<void>;
  readonly #observer: ResizeObserver;
  readonly #producers = new Map<Element, string>();
  /** The layer each producer was last asked for. */
  readonly #fitted = new Map<string, number>();

  constructor(fit: (producerId: string, spatialLayer: number) => Promise<void>) {
    this.#fit = fit;
    this.#observer = new ResizeObserver((entries) => {
      for (const entry of entries) this.#resized(entry.target, entry.contentRect.height);
    });
  }

  watch(producerId: string, element: HTMLElement): void {
    this.#producers.set(element, producerId);
    this.#observer.observe(element);
  }

  unwatch(producerId: string): void {
    for (const [element, watched] of this.#producers)
      if (watched === producerId) this.unwatchElement(element);
  }

  unwatchElement(element: Element): void {
    const producerId = this.#producers.get(element);
    this.#observer.unobserve(element);
    this.#producers.delete(element);
    if (producerId) this.#fitted.delete(producerId);
  }

  #resized(element: Element, cssHeight: number): void {
    const producerId = this.#producers.get(element);
    // A hidden video (camera off) has no size: keep what it had.
    if (!producerId || cssHeight === 0) return;
    const layer = spatialLayerForTileHeight(Math.round(cssHeight * devicePixelRatio));
    if (this.#fitted.get(producerId) === layer) return;
    this.#fitted.set(producerId, layer);
    this.#fit(producerId, layer).then(
      // Shown on the element for a look in dev tools (and for tests).
      () => ((element as HTMLElement).dataset.requestedLayer = String(layer)),
      () => this.#fitted.delete(producerId),
    );
  }
}

/** A listener for one event: it receives that event's payload. */
export type Listener<T> = (payload: T) => void;

/**
 * A minimal event emitter whose event names and payload types come from one
 * map (`{ eventName: PayloadType }`), so listeners are checked by the compiler.
 * `emit` is protected: only the subclass announces its own events.
 */
export class TypedEmitter<Events extends object> {
  readonly #listeners: { [K in keyof Events]?: Set<Listener<Events[K]>> } = {};

  /** Subscribes; returns a function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let listeners = this.#listeners[event];
    if (!listeners) {
      listeners = new Set();
      this.#listeners[event] = listeners;
    }
    listeners.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners[event]?.delete(listener);
  }

  protected emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of [...(this.#listeners[event] ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        // A failing listener must not break the emitter's own flow (for
        // example a half-finished join); rethrow it asynchronously so it
        // still shows up as an uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

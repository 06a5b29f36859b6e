/**
 * A token bucket: up to `capacity` requests at once, refilled at
 * `refillPerSecond`. Time comes from `now` (milliseconds) so tests can move it.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: { capacity: number; refillPerSecond: number; now?: () => number }) {
    this.#capacity = options.capacity;
    this.#refillPerMs = options.refillPerSecond / 1000;
    this.#now = options.now ?? performance.now.bind(performance);
    this.#tokens = options.capacity;
    this.#updatedAt = this.#now();
  }

  /** Takes one token if there is one; false means the caller is over the rate. */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#refillPerMs);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

import type { RequestRates } from '../config.ts';
import { TokenBucket } from './token-bucket.ts';

/** Requests that cost a control-plane round trip (and a directory lookup, or a ring) each. */
const CALL_REQUESTS = new Set<unknown>(['createRoom', 'group_call_initiate']);

/**
 * One socket's request rate: every event takes a token from a bucket large
 * enough for a device entering a full call (a consume and a resume per
 * producer), and the expensive call requests also from a small, slow one.
 */
export class SocketRequestRate {
  readonly #all: TokenBucket;
  readonly #calls: TokenBucket;

  constructor(rates: RequestRates, now?: () => number) {
    this.#all = new TokenBucket({ capacity: rates.burst, refillPerSecond: rates.perSecond, now });
    this.#calls = new TokenBucket({
      capacity: rates.callBurst,
      refillPerSecond: rates.callPerMinute / 60,
      now,
    });
  }

  /** False when the socket is over its rate: the request must be refused unprocessed. */
  admit(event: unknown): boolean {
    if (!this.#all.take()) return false;
    return !CALL_REQUESTS.has(event) || this.#calls.take();
  }
}

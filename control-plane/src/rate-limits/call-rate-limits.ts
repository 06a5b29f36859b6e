import { CallError } from '@groupcall/shared/calls';
import { ErrorMessage } from '@groupcall/shared/protocol';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

/** The /v1/calls requests that are limited: each one reads the directory, and a start rings everybody. */
export type LimitedCallAction = 'start' | 'join' | 'decline';

/** A refused request: HTTP 429 with Retry-After, the protocol's "Too many requests" string. */
export class RateLimitedError extends CallError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('too-many-requests', ErrorMessage.tooManyRequests, { retryAfterSeconds });
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The three counters a call request draws from; where they live (Redis, memory) is the caller's choice. */
export interface CallRateLimiters {
  user: RateLimiterAbstract;
  conversation: RateLimiterAbstract;
  ring: RateLimiterAbstract;
}

/**
 * Limits call requests per user, per conversation and, for starts, per
 * caller and conversation (the ring flood: start → leave → start …, each a
 * push to every member's devices). Every counter that applies is drawn from;
 * the longest wait of those refused is the Retry-After.
 */
export class CallRateLimits {
  readonly #limiters: CallRateLimiters;

  constructor(limiters: CallRateLimiters) {
    this.#limiters = limiters;
  }

  /** Resolves when the request may go on; rejects with RateLimitedError, or the store's error (an outage). */
  async consume(action: LimitedCallAction, userId: string, conversationId: string): Promise<void> {
    const draws = [
      this.#limiters.user.consume(userId),
      this.#limiters.conversation.consume(conversationId),
      ...(action === 'start' ? [this.#limiters.ring.consume(`${userId}|${conversationId}`)] : []),
    ];
    const refusals = (await Promise.allSettled(draws)).flatMap((r) =>
      r.status === 'rejected' ? [r.reason as unknown] : [],
    );
    if (refusals.length === 0) return;
    // rate-limiter-flexible rejects with a RateLimiterRes when limited, with an Error when its store failed.
    const storeFailure = refusals.find((r) => !(r instanceof RateLimiterRes));
    if (storeFailure) throw storeFailure;
    const waitMs = Math.max(...refusals.map((r) => (r as RateLimiterRes).msBeforeNext));
    throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
  }
}

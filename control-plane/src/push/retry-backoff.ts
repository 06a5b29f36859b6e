/**
 * Exponential backoff with jitter for retrying transient FCM failures. The
 * ceiling doubles with each retry (base, 2×base, 4×base … up to max) and
 * the delay is drawn between half the ceiling and the ceiling, so retries
 * spread out (many control-plane replicas do not retry in lockstep) yet
 * still back off.
 */
export interface RetryPolicy {
  /** Sends per token in total, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** The pause before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * What a failed send to one token means for that token:
 * - 'dead-token': FCM will never deliver to it (the app was uninstalled or
 *   the token rotated, or it is not a token at all): remove it;
 * - 'transient': FCM is overloaded or failing: try again later;
 * - 'permanent': this push cannot be sent (bad credentials, payload, rate
 *   limit of one device): give up on it, but keep the token.
 */
export const failureKinds = ['dead-token', 'transient', 'permanent'] as const;
export type FailureKind = (typeof failureKinds)[number];

const DEAD_TOKEN_CODES = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
]);

const TRANSIENT_CODES = new Set([
  'messaging/server-unavailable',
  'messaging/internal-error',
  // QUOTA_EXCEEDED: the project's send rate, not one device's: back off and retry.
  'messaging/message-rate-exceeded',
  // Non-JSON answers such as a proxy's 502/504 page.
  'messaging/unknown-error',
  'app/network-error',
  'app/network-timeout',
]);

export function classifyFailure(error: unknown): FailureKind {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return 'permanent';
  if (DEAD_TOKEN_CODES.has(code)) return 'dead-token';
  // FCM v1 reports a malformed token as a plain INVALID_ARGUMENT. Only its
  // message tells it apart from an invalid payload, which must never cost
  // anyone their tokens.
  if (
    code === 'messaging/invalid-argument' &&
    typeof message === 'string' &&
    /registration token/i.test(message)
  ) {
    return 'dead-token';
  }
  return TRANSIENT_CODES.has(code) ? 'transient' : 'permanent';
}

/** The error's code for logs and counters ("messaging/internal-error"), or "unknown". */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

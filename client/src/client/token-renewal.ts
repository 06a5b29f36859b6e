import type { GroupCallSocket } from './socket-request.ts';

/** Renew this long before the token expires at the latest (a slow network still makes it). */
const maxMarginSeconds = 300;

/**
 * How long a JWT is valid for, read from its own `iat` and `exp`, so a device
 * whose clock is off still renews in time. Undefined when the token carries
 * no expiry (nothing to renew) or cannot be read.
 */
export function tokenLifetimeSeconds(token: string, nowSeconds = Date.now() / 1000): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
      iat?: unknown;
    };
    if (typeof claims.exp !== 'number') return undefined;
    const issuedAt = typeof claims.iat === 'number' ? claims.iat : nowSeconds;
    return claims.exp - issuedAt;
  } catch {
    return undefined;
  }
}

/** When to renew a token valid for `lifetimeSeconds`: a third of its life, at most five minutes, before it ends. */
export function renewalDelayMs(lifetimeSeconds: number): number {
  const margin = Math.min(maxMarginSeconds, lifetimeSeconds / 3);
  return Math.max(0, (lifetimeSeconds - margin) * 1000);
}

/**
 * Keeps a connected socket's access token fresh: the server disconnects a
 * socket when the token it connected with expires (a call outlives an
 * access token easily), so before that the socket sends a newer one
 * (`renewToken`). Re-armed on every connection with the token that
 * connection used; a failed renewal is retried once at the next margin and
 * otherwise left to the server's disconnect and the socket's reconnection,
 * which asks for a fresh token.
 */
export class TokenRenewal {
  readonly #socket: GroupCallSocket;
  readonly #accessToken: () => Promise<string>;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: GroupCallSocket, accessToken: () => Promise<string>) {
    this.#socket = socket;
    this.#accessToken = accessToken;
    socket.on('disconnect', () => clearTimeout(this.#timer));
  }

  /** The socket (re)connected with `token`: renew before it expires. */
  connectedWith(token: string): void {
    this.#schedule(token);
  }

  #schedule(token: string): void {
    clearTimeout(this.#timer);
    const lifetime = tokenLifetimeSeconds(token);
    if (lifetime === undefined) return;
    this.#timer = setTimeout(() => void this.#renew(), renewalDelayMs(lifetime));
  }

  async #renew(): Promise<void> {
    if (!this.#socket.connected) return;
    try {
      const token = await this.#accessToken();
      const ack = await this.#socket.timeout(10_000).emitWithAck('renewToken', { token });
      if ('error' in ack) return;
      this.#schedule(token);
    } catch {
      // No token or no answer: the server ends the socket at expiry and the
      // reconnection asks for a fresh token.
    }
  }
}

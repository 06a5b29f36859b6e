import type { Logger } from '@groupcall/shared/logging';
import { ErrorMessage } from '@groupcall/shared/protocol';
import type { Socket } from 'socket.io';

// setTimeout's longest delay (about 24.8 days); a later expiry is re-armed.
const maxTimerMs = 2_147_483_647;

/**
 * A socket authenticated by its handshake token stays connected only while
 * some token of its user is valid: at the token's `exp` the device is told
 * (`group_call_error`) and disconnected, unless it sent a newer token first
 * (`renewToken`). Without this, a revoked user's open socket would keep
 * receiving rings forever.
 */
export class TokenExpiry {
  readonly #socket: Socket;
  readonly #log: Logger;
  #expiresAtMs: number;
  #timer: NodeJS.Timeout | undefined;

  /** `expiresAt` in seconds since the epoch (a JWT's `exp`). */
  constructor(socket: Socket, expiresAt: number, log: Logger) {
    this.#socket = socket;
    this.#log = log;
    this.#expiresAtMs = expiresAt * 1000;
    this.#arm();
    socket.once('disconnect', () => clearTimeout(this.#timer));
  }

  /** A newer token was accepted: the socket lives until its expiry instead. */
  renew(expiresAt: number): void {
    this.#expiresAtMs = expiresAt * 1000;
    this.#arm();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const remainingMs = this.#expiresAtMs - Date.now();
    this.#timer = setTimeout(() => this.#due(), Math.max(0, Math.min(remainingMs, maxTimerMs)));
    this.#timer.unref();
  }

  #due(): void {
    if (Date.now() < this.#expiresAtMs) {
      this.#arm();
      return;
    }
    this.#log.info({ userId: this.#socket.data.userId }, 'access token expired: disconnecting the socket');
    this.#socket.emit('group_call_error', { message: ErrorMessage.accessTokenExpired });
    this.#socket.disconnect(true);
  }
}

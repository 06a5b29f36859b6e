import type { Logger } from '@groupcall/shared/logging';

/**
 * One timer per ringing call: when it fires, whoever is still ringing has
 * missed the call.
 *
 * The timers live in this replica's memory, so a replica that stops takes
 * its pending timeouts with it (those members' devices then stop ringing on
 * their own client-side timeout, without the missed push). Firing is safe on
 * several replicas at once, because the call-state store hands each ringing
 * member to exactly one caller. To survive replica loss, the deadlines move
 * to Redis: a sorted set `groupcall:ring-deadlines` (score = deadline) that
 * every replica polls each second, claiming a due call with ZREM (the replica
 * whose ZREM returns 1 sends the missed pushes).
 */
export class RingTimeouts {
  readonly #timeoutMs: number;
  readonly #onTimeout: (conversationId: string) => Promise<void>;
  readonly #log: Logger;
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(options: {
    timeoutMs: number;
    onTimeout: (conversationId: string) => Promise<void>;
    log: Logger;
  }) {
    this.#timeoutMs = options.timeoutMs;
    this.#onTimeout = options.onTimeout;
    this.#log = options.log.child({ component: 'ring-timeouts' });
  }

  schedule(conversationId: string): void {
    clearTimeout(this.#timers.get(conversationId));
    const timer = setTimeout(() => {
      this.#timers.delete(conversationId);
      this.#onTimeout(conversationId).catch((error: unknown) => {
        this.#log.error({ err: error, conversationId }, 'ring timeout failed: missed-call pushes not sent');
      });
    }, this.#timeoutMs);
    // A pending ring must not keep a stopping process alive.
    timer.unref();
    this.#timers.set(conversationId, timer);
  }

  /** Drops every pending timeout (shutdown). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** A call's ring deadline: when it passes, whoever still rings missed the call. */
export interface RingDeadline {
  conversationId: string;
  callId: string;
}

/**
 * Ring deadlines every control-plane replica can act on. `claimDue` hands
 * each due deadline to exactly one caller, whichever replica scheduled it,
 * so a replica that stops (rollout, crash) loses no missed-call push and no
 * push is sent twice.
 */
export interface RingDeadlines {
  schedule(deadline: RingDeadline, atMs: number): Promise<void>;
  /** Removes and returns the deadlines due at `nowMs` (each one to one caller only). */
  claimDue(nowMs: number): Promise<RingDeadline[]>;
}

/** The embedded default: deadlines in this process (one control plane only). */
export class InMemoryRingDeadlines implements RingDeadlines {
  readonly #due = new Map<string, { deadline: RingDeadline; atMs: number }>();

  async schedule(deadline: RingDeadline, atMs: number): Promise<void> {
    this.#due.set(`${deadline.conversationId}\n${deadline.callId}`, { deadline, atMs });
  }

  async claimDue(nowMs: number): Promise<RingDeadline[]> {
    const due: RingDeadline[] = [];
    for (const [key, entry] of this.#due) {
      if (entry.atMs > nowMs) continue;
      this.#due.delete(key);
      due.push(entry.deadline);
    }
    return due;
  }
}

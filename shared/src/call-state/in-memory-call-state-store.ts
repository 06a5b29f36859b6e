import {
  type CallState,
  type CallStateStore,
  defaultCallStateExpiryMs,
  type NewCall,
  newCallState,
} from './call-state-store.ts';

interface Entry {
  call: CallState;
  ringing: Set<string>;
  expiresAt: number;
}

/** The embedded default: one process holds every call (single control-plane replica only). */
export class InMemoryCallStateStore implements CallStateStore {
  readonly #calls = new Map<string, Entry>();
  readonly #expiryMs: number;
  readonly #now: () => number;

  constructor(options: { expiryMs?: number; now?: () => number } = {}) {
    this.#expiryMs = options.expiryMs ?? defaultCallStateExpiryMs;
    this.#now = options.now ?? Date.now;
  }

  async start(newCall: NewCall): Promise<{ call: CallState; created: boolean }> {
    const existing = this.#live(newCall.conversationId);
    if (existing) return { call: structuredClone(existing.call), created: false };
    const call = newCallState(newCall);
    this.#calls.set(call.conversationId, {
      call,
      ringing: new Set(newCall.ringing),
      expiresAt: this.#now() + this.#expiryMs,
    });
    return { call: structuredClone(call), created: true };
  }

  async get(conversationId: string): Promise<CallState | undefined> {
    const entry = this.#live(conversationId);
    return entry && structuredClone(entry.call);
  }

  async setParticipantCount(conversationId: string, count: number): Promise<void> {
    const entry = this.#live(conversationId);
    if (!entry) return;
    entry.call.participantCount = count;
    entry.expiresAt = this.#now() + this.#expiryMs;
  }

  async stopRinging(conversationId: string, userIds?: readonly string[]): Promise<string[]> {
    const ringing = this.#live(conversationId)?.ringing;
    if (!ringing) return [];
    const stopped = (userIds ?? [...ringing]).filter((id) => ringing.has(id));
    for (const id of stopped) ringing.delete(id);
    return stopped;
  }

  async end(conversationId: string): Promise<string[]> {
    const entry = this.#live(conversationId);
    this.#calls.delete(conversationId);
    return entry ? [...entry.ringing] : [];
  }

  #live(conversationId: string): Entry | undefined {
    const entry = this.#calls.get(conversationId);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#calls.delete(conversationId);
      return undefined;
    }
    return entry;
  }
}

import {
  type CallState,
  type CallStateStore,
  defaultCallStateExpiryMs,
  type EndedCall,
  type NewCall,
  newCallState,
  type RingOutcome,
} from './call-state-store.ts';

interface Entry {
  call: CallState;
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
    this.#calls.set(call.conversationId, { call, expiresAt: this.#now() + this.#expiryMs });
    return { call: structuredClone(call), created: true };
  }

  async get(conversationId: string): Promise<CallState | undefined> {
    const entry = this.#live(conversationId);
    return entry && structuredClone(entry.call);
  }

  async setParticipantCount(conversationId: string, callId: string, count: number): Promise<void> {
    const entry = this.#live(conversationId, callId);
    if (!entry) return;
    entry.call.participantCount = count;
    entry.call.peakParticipantCount = Math.max(entry.call.peakParticipantCount, count);
    entry.expiresAt = this.#now() + this.#expiryMs;
  }

  async stopRinging(
    conversationId: string,
    callId: string,
    userIds: readonly string[] | undefined,
    outcome: RingOutcome,
  ): Promise<string[]> {
    const ring = this.#live(conversationId, callId)?.call.ring;
    if (!ring) return [];
    const ringing = Object.keys(ring).filter((id) => ring[id] === 'ringing');
    const stopped = (userIds ?? ringing).filter((id) => ring[id] === 'ringing');
    for (const id of stopped) ring[id] = outcome;
    if (outcome === 'accepted') for (const id of userIds ?? []) ring[id] = 'accepted';
    return stopped;
  }

  async end(conversationId: string, callId: string | undefined): Promise<EndedCall | undefined> {
    const entry = this.#live(conversationId, callId);
    if (!entry) return undefined;
    this.#calls.delete(conversationId);
    const { call } = entry;
    return { call, stillRinging: Object.keys(call.ring).filter((id) => call.ring[id] === 'ringing') };
  }

  async endIfAbandoned(
    conversationId: string,
    callId: string,
    options: { evenIfAccepted: boolean },
  ): Promise<EndedCall | undefined> {
    const entry = this.#live(conversationId, callId);
    if (!entry) return undefined;
    const states = Object.values(entry.call.ring);
    const abandoned =
      entry.call.participantCount === 0 &&
      !states.includes('ringing') &&
      (options.evenIfAccepted || !states.includes('accepted'));
    return abandoned ? this.end(conversationId, callId) : undefined;
  }

  /** The conversation's live call; with `callId`, only if it is that call. */
  #live(conversationId: string, callId?: string): Entry | undefined {
    const entry = this.#calls.get(conversationId);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#calls.delete(conversationId);
      return undefined;
    }
    if (entry && callId !== undefined && entry.call.callId !== callId) return undefined;
    return entry;
  }
}

import { randomBytes } from 'node:crypto';
import { CallError } from '@groupcall/shared/calls';
import { ErrorMessage } from '@groupcall/shared/protocol';
import type { Participant } from './participant.ts';
import type { Room } from './room.ts';

interface Resumable {
  room: Room;
  participant: Participant;
  /** The connection that has it now; it lets go when another socket resumes it. */
  detach: (() => void) | undefined;
  /** Set while nobody has it: when it fires, the participant is removed for good. */
  expiry: NodeJS.Timeout | undefined;
  expire: (() => void) | undefined;
}

/**
 * Resume credentials of the participants on this pod: an unguessable random
 * token per device in a call, known only to this pod's memory (so bound to
 * the pod, and through its entry to the call, the user and the socketId the
 * device entered with). A device whose connection dropped is held for a
 * grace period: a new socket of the same user that presents the token within
 * it gets the participant back; otherwise the participant is removed as if
 * it had left. Each token works once: resuming issues the next one.
 */
export class ResumableParticipants {
  readonly #graceMs: number;
  readonly #entries = new Map<string, Resumable>();

  constructor(graceMs: number) {
    this.#graceMs = graceMs;
  }

  /** Whether a dropped connection is held at all (a grace of 0 removes it at once, as before). */
  get enabled(): boolean {
    return this.#graceMs > 0;
  }

  /** A participant now has a connection (it entered, or resumed): its next token. */
  register(room: Room, participant: Participant, detach: () => void): string {
    const token = randomBytes(32).toString('base64url');
    this.#entries.set(token, { room, participant, detach, expiry: undefined, expire: undefined });
    return token;
  }

  /** The participant left on purpose (or its call ended): the token is void. */
  forget(token: string): void {
    const entry = this.#entries.get(token);
    if (!entry) return;
    clearTimeout(entry.expiry);
    this.#entries.delete(token);
  }

  /** The participant's connection dropped: it waits for a resume; `expire` removes it after the grace. */
  hold(token: string, expire: () => void): void {
    const entry = this.#entries.get(token);
    if (!entry) return;
    entry.detach = undefined;
    entry.expire = expire;
    entry.expiry = setTimeout(() => {
      this.#entries.delete(token);
      expire();
    }, this.#graceMs);
    // A held device must not keep a stopping process alive.
    entry.expiry.unref();
  }

  /**
   * Hands the participant of `token` to a new connection of `userId`: a held
   * one stops waiting, one still attached to another socket is taken from it.
   * Refusals leave the token as it was.
   */
  claim(token: string, userId: string): { room: Room; participant: Participant } {
    const entry = this.#entries.get(token);
    if (!entry || entry.room.closed || !entry.room.participants.includes(entry.participant))
      throw new CallError('not-found', ErrorMessage.resumeUnknown);
    if (entry.participant.userId !== userId) throw new CallError('forbidden', ErrorMessage.resumeOtherUser);
    this.#entries.delete(token);
    clearTimeout(entry.expiry);
    entry.detach?.();
    return { room: entry.room, participant: entry.participant };
  }

  /**
   * A device of `userId` enters `room` the seed way (a new createRoom after
   * its connection dropped, no resume): its held participants there are
   * removed now, so the old one does not count against its device limit.
   */
  expireHeld(room: Room, userId: string): void {
    for (const [token, entry] of this.#entries) {
      if (entry.room !== room || entry.participant.userId !== userId || !entry.expire) continue;
      clearTimeout(entry.expiry);
      this.#entries.delete(token);
      entry.expire();
    }
  }
}

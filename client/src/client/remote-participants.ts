import type { types } from 'mediasoup-client';
import type { ParticipantInfo } from '../protocol/info.ts';
import type { MediaKind } from '../protocol/primitives.ts';
import type { MediaSource } from '../protocol/track-events.ts';

/** A remote producer as the server announces it (`newProducer`, `getProducers`). */
export interface RemoteProducer {
  producerId: string;
  kind: MediaKind;
  socketId: string;
  participantInfo: ParticipantInfo | undefined;
  /** Additive fields of newProducer/getProducers: what the track carries, and whether it is paused. */
  source?: MediaSource | undefined;
  paused?: boolean | undefined;
}

/** A remote producer we receive or are about to; `consumer` is set once consuming finished. */
export interface RemoteTrackEntry extends RemoteProducer {
  consumer: types.Consumer | undefined;
}

/**
 * The remote tracks of the current call, by producer id. Consuming takes
 * several round trips, and the producer (or its whole participant) can go
 * away meanwhile, so a track is first claimed, then attached once consumed;
 * an attach whose claim was dropped in between is refused and the caller
 * closes the consumer instead of showing a track nobody sends any more.
 */
export class RemoteParticipants {
  readonly #tracks = new Map<string, RemoteTrackEntry>();

  /** Claims a producer for consuming; undefined when it is already received or being consumed. */
  claim(producer: RemoteProducer): RemoteTrackEntry | undefined {
    if (this.#tracks.has(producer.producerId)) return undefined;
    const entry: RemoteTrackEntry = { ...producer, consumer: undefined };
    this.#tracks.set(producer.producerId, entry);
    return entry;
  }

  /** Records the consumer of a claim; false when the claim was dropped meanwhile. */
  attach(entry: RemoteTrackEntry, consumer: types.Consumer): boolean {
    if (this.#tracks.get(entry.producerId) !== entry) return false;
    entry.consumer = consumer;
    return true;
  }

  /** Gives up a claim whose consuming failed, so a later announcement can retry it. */
  release(entry: RemoteTrackEntry): void {
    if (this.#tracks.get(entry.producerId) === entry) this.#tracks.delete(entry.producerId);
  }

  /** Drops one track (its producer closed); returns it when it was known. */
  dropTrack(producerId: string): RemoteTrackEntry | undefined {
    const entry = this.#tracks.get(producerId);
    if (!entry) return undefined;
    this.#tracks.delete(producerId);
    entry.consumer?.close();
    return entry;
  }

  /** Drops every track of one participant; returns the participant's info when known. */
  dropParticipant(socketId: string): ParticipantInfo | undefined {
    let info: ParticipantInfo | undefined;
    for (const entry of [...this.#tracks.values()]) {
      if (entry.socketId !== socketId) continue;
      info ??= entry.participantInfo;
      this.dropTrack(entry.producerId);
    }
    return info;
  }

  /** Drops everything; returns each participant that had tracks, with its info. */
  dropAll(): Map<string, ParticipantInfo | undefined> {
    const participants = new Map<string, ParticipantInfo | undefined>();
    for (const entry of this.#tracks.values()) {
      participants.set(entry.socketId, participants.get(entry.socketId) ?? entry.participantInfo);
      entry.consumer?.close();
    }
    this.#tracks.clear();
    return participants;
  }

  /** The consumer receiving `producerId`, once consuming finished. */
  consumerOf(producerId: string): types.Consumer | undefined {
    return this.#tracks.get(producerId)?.consumer;
  }

  /** The track a consumer of ours receives (server events name consumers). */
  byConsumerId(consumerId: string): RemoteTrackEntry | undefined {
    return [...this.#tracks.values()].find((entry) => entry.consumer?.id === consumerId);
  }

  /** Drops every track whose producer is not in `producerIds` (it closed while we did not hear); returns them. */
  dropAllExcept(producerIds: ReadonlySet<string>): RemoteTrackEntry[] {
    const gone = [...this.#tracks.values()].filter((entry) => !producerIds.has(entry.producerId));
    for (const entry of gone) this.dropTrack(entry.producerId);
    return gone;
  }

  /** Whether any track of this participant is received or being consumed. */
  hasParticipant(socketId: string): boolean {
    return [...this.#tracks.values()].some((entry) => entry.socketId === socketId);
  }

  /** The tracks being received now. */
  received(): Array<RemoteTrackEntry & { consumer: types.Consumer }> {
    return [...this.#tracks.values()].filter(
      (entry): entry is RemoteTrackEntry & { consumer: types.Consumer } => entry.consumer !== undefined,
    );
  }
}

import { EventEmitter } from 'node:events';
import type { ProducerListItem } from '@groupcall/shared/protocol';
import type { types } from 'mediasoup';
import type { CallMedia } from '../media/media-worker-pool.ts';
import type { Participant } from './participant.ts';
import { SpeakerDetection } from './speaker-detection.ts';
import { producerState } from './track-control.ts';

interface RoomEvents {
  /** The call's media was lost (its mediasoup Worker died); the room is closed. */
  interrupted: [];
  /** A device entered or left. */
  sizeChanged: [size: number];
}

/**
 * One call (room id = conversation id, plus the call's own callId) on this
 * pod: a mediasoup Router and the devices in it. Rooms hold no Socket.IO
 * state; signalling decides whom to tell what.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly id: string;
  readonly callId: string;
  readonly media: CallMedia;
  /** group_call_started went out for this call (once, not again when the room refills). */
  announced = false;
  readonly createdAt = new Date();
  /** Who is speaking; signalling relays its events to the call. */
  readonly speakers: SpeakerDetection;
  readonly #participants = new Map<string, Participant>();
  #closed = false;

  constructor(id: string, callId: string, media: CallMedia) {
    super();
    this.id = id;
    this.callId = callId;
    this.media = media;
    this.speakers = new SpeakerDetection(media.router);
    media.router.once('workerclose', () => {
      this.#closed = true;
      this.emit('interrupted');
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#participants.size;
  }

  get participants(): Participant[] {
    return [...this.#participants.values()];
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.media.router.rtpCapabilities;
  }

  add(participant: Participant): void {
    this.#participants.set(participant.socketId, participant);
    this.emit('sizeChanged', this.size);
  }

  /** Removes and closes a device's participation; undefined if it was not here. */
  remove(socketId: string): Participant | undefined {
    const participant = this.#participants.get(socketId);
    if (!participant) return undefined;
    this.#participants.delete(socketId);
    participant.close();
    this.emit('sizeChanged', this.size);
    return participant;
  }

  findProducer(producerId: string): { producer: types.Producer; owner: Participant } | undefined {
    for (const owner of this.#participants.values()) {
      const producer = owner.ownsProducer(producerId);
      if (producer) return { producer, owner };
    }
    return undefined;
  }

  /** Everyone else's producers, for `getProducers` (a device never consumes itself). */
  producersExcept(socketId: string): ProducerListItem[] {
    return this.participants
      .filter((p) => p.socketId !== socketId)
      .flatMap((p) =>
        p.producers.map((producer) => ({
          id: producer.id,
          kind: producer.kind,
          socketId: p.socketId,
          participantInfo: p.info,
          ...producerState(producer),
        })),
      );
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const participant of this.#participants.values()) participant.close();
    this.#participants.clear();
    this.media.router.close();
  }
}

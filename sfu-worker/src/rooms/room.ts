import { EventEmitter } from 'node:events';
import type { ProducerListItem } from '@groupcall/shared/protocol';
import type { types } from 'mediasoup';
import type { CallMedia } from '../media/media-worker-pool.ts';
import type { CallRouters } from './call-routers.ts';
import type { LayerDemand } from './layer-demand.ts';
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
 * pod: its mediasoup Routers (one, or several Workers' for a large call) and
 * the devices in it. Rooms hold no Socket.IO state; signalling decides whom
 * to tell what.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly id: string;
  readonly callId: string;
  readonly routers: CallRouters;
  /** group_call_started went out for this call (once, not again when the room refills). */
  announced = false;
  readonly createdAt = new Date();
  /** Who is speaking; signalling relays its events to the call. */
  readonly speakers: SpeakerDetection;
  readonly #participants = new Map<string, Participant>();
  #closed = false;

  constructor(id: string, callId: string, routers: CallRouters) {
    super();
    this.id = id;
    this.callId = callId;
    this.routers = routers;
    this.speakers = new SpeakerDetection(routers.home.router);
    // Any Worker of the call dying interrupts all of it: its devices rejoin together,
    // so the Routers on the Workers still alive are closed too.
    routers.once('workerLost', () => {
      if (this.#closed) return;
      this.#closed = true;
      routers.close();
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
    // Every Router of the call has the same codecs, so the home Router's capabilities hold for all.
    return this.routers.home.router.rtpCapabilities;
  }

  /** Where a device entering now gets its transports; give it back with `remove` (or `release` if refused). */
  place(): Promise<CallMedia> {
    return this.routers.place();
  }

  /** A device placed with `place` did not enter after all. */
  release(media: CallMedia): void {
    this.routers.release(media);
  }

  /** Makes `owner`'s producer consumable by `receiver`, whichever Routers they are on. */
  reach(producer: types.Producer, owner: Participant, receiver: Participant): Promise<void> {
    return this.routers.bring(producer, owner.media, receiver.media);
  }

  /** Watches an audio producer for who is speaking: the call's observers are on its home Router. */
  async watchSpeech(producer: types.Producer, owner: Participant): Promise<void> {
    if (producer.kind !== 'audio') return;
    await this.routers.bring(producer, owner.media, this.routers.home);
    await this.speakers.add(producer, { socketId: owner.socketId, userId: owner.userId });
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
    this.routers.release(participant.media);
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

  /** Who wants which layers of a simulcast producer in this call (dynacast); undefined for any other. */
  layerDemandOf(producerId: string): LayerDemand | undefined {
    return this.findProducer(producerId)?.owner.layerDemandOf(producerId);
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
    this.routers.close();
  }
}

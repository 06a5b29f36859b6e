import { EventEmitter } from 'node:events';
import type { ActiveSpeaker, AudioLevels } from '@groupcall/shared/protocol';
import { FieldLimit } from '@groupcall/shared/protocol';
import type { types } from 'mediasoup';

interface SpeakerEvents {
  activeSpeaker: [speaker: ActiveSpeaker];
  audioLevels: [levels: AudioLevels];
}

interface Speaker {
  socketId: string;
  userId: string;
}

/** mediasoup's own cadence for dominant-speaker decisions. */
const activeSpeakerIntervalMs = 300;
/** A few audio-level reports a second is enough for a speaking indicator, and cheap on the wire. */
const audioLevelIntervalMs = 400;
/** Only the loudest few are reported: a tile highlight needs no more. */
const loudestEntries = 3;
/** dBvo below which a producer counts as silent (mediasoup's default). */
const silenceThreshold = -80;

/**
 * Who is speaking in one call: an ActiveSpeakerObserver and an
 * AudioLevelObserver over the call's audio producers. The observers are
 * created with the first audio producer (a video-only call pays nothing).
 * Paused producers are ignored by mediasoup, so a muted device never speaks.
 */
export class SpeakerDetection extends EventEmitter<SpeakerEvents> {
  readonly #router: types.Router;
  readonly #speakers = new Map<string, Speaker>();
  #observers: Promise<types.RtpObserver[]> | undefined;
  #current: string | undefined;

  constructor(router: types.Router) {
    super();
    this.#router = router;
  }

  /** Watches an audio producer of `speaker` until it closes. */
  async add(producer: types.Producer, speaker: Speaker): Promise<void> {
    if (producer.kind !== 'audio') return;
    this.#speakers.set(producer.id, speaker);
    producer.observer.once('close', () => this.#speakers.delete(producer.id));
    this.#observers ??= this.#createObservers();
    const observers = await this.#observers;
    if (producer.closed) return;
    await Promise.all(observers.map((observer) => observer.addProducer({ producerId: producer.id })));
  }

  async #createObservers(): Promise<types.RtpObserver[]> {
    const active = await this.#router.createActiveSpeakerObserver({ interval: activeSpeakerIntervalMs });
    active.on('dominantspeaker', ({ producer }) => {
      const speaker = this.#speakers.get(producer.id);
      if (!speaker || speaker.socketId === this.#current) return;
      this.#current = speaker.socketId;
      this.emit('activeSpeaker', { ...speaker });
    });
    const levels = await this.#router.createAudioLevelObserver({
      maxEntries: Math.min(loudestEntries, FieldLimit.audioLevelEntries),
      threshold: silenceThreshold,
      interval: audioLevelIntervalMs,
    });
    levels.on('volumes', (volumes) => {
      const entries = volumes.flatMap(({ producer, volume }) => {
        const speaker = this.#speakers.get(producer.id);
        return speaker ? [{ ...speaker, producerId: producer.id, volume }] : [];
      });
      this.emit('audioLevels', { levels: entries });
    });
    levels.on('silence', () => this.emit('audioLevels', { levels: [] }));
    return [active, levels];
  }
}

import type { MediaSource } from '../protocol/track-events.ts';
import type { MediaSession } from './media-session.ts';
import type { SocketRequest } from './socket-request.ts';

/** A local track and the source it is sent as. */
export interface LocalTrack {
  source: MediaSource;
  track: MediaStreamTrack;
}

/**
 * What this device sends, by source, kept across rejoins: the tracks and
 * which sources are paused (muted, camera off). Applied to the current media
 * session when there is one; a rejoin produces them again as they are now.
 */
export class LocalTracks {
  readonly #tracks = new Map<MediaSource, MediaStreamTrack>();
  readonly #paused = new Set<MediaSource>();

  /** The caller's tracks for joinCall: the first audio track is the mic, the first video the camera. */
  constructor(tracks: readonly MediaStreamTrack[]) {
    for (const track of tracks) {
      const source = track.kind === 'audio' ? 'mic' : track.kind === 'video' ? 'camera' : undefined;
      if (source && !this.#tracks.has(source)) this.#tracks.set(source, track);
    }
  }

  get all(): LocalTrack[] {
    return [...this.#tracks].map(([source, track]) => ({ source, track }));
  }

  isPaused(source: MediaSource): boolean {
    return this.#paused.has(source);
  }

  /** Produces every track into a new session, paused where it is paused. */
  async produceAll(session: MediaSession, request: SocketRequest): Promise<void> {
    for (const local of this.all) {
      const producer = await session.produce(local);
      if (producer && this.#paused.has(local.source)) {
        producer.pause();
        await request('pauseProducer', { producerId: producer.id });
      }
    }
  }

  /** Pauses or resumes a source: the browser stops sending and the others are told. */
  async setEnabled(
    source: MediaSource,
    enabled: boolean,
    session: MediaSession | undefined,
    request: SocketRequest,
  ): Promise<void> {
    if (enabled) this.#paused.delete(source);
    else this.#paused.add(source);
    const producer = session?.producerOf(source);
    if (!producer || producer.paused === !enabled) return;
    if (enabled) producer.resume();
    else producer.pause();
    await request(enabled ? 'resumeProducer' : 'pauseProducer', { producerId: producer.id });
  }

  /**
   * Sends `track` as `source` from now on: a new device for a source already
   * sent swaps the track in place (replaceTrack, no renegotiation); a new
   * source is produced.
   */
  async set(source: MediaSource, track: MediaStreamTrack, session: MediaSession | undefined): Promise<void> {
    this.#tracks.set(source, track);
    const producer = session?.producerOf(source);
    if (producer) await producer.replaceTrack({ track });
    else if (session) await session.produce({ source, track });
  }

  /** Stops sending `source` (closeProducer); the track stays the caller's. */
  async remove(
    source: MediaSource,
    session: MediaSession | undefined,
    request: SocketRequest,
  ): Promise<void> {
    this.#tracks.delete(source);
    this.#paused.delete(source);
    const producer = session?.producerOf(source);
    if (!producer) return;
    producer.close();
    await request('closeProducer', { producerId: producer.id });
  }

  get(source: MediaSource): MediaStreamTrack | undefined {
    return this.#tracks.get(source);
  }
}

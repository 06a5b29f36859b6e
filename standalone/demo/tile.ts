import type { MediaKind } from '@groupcall/client';
import { avatar, el } from './dom.ts';

export interface TileIdentity {
  /** The participant's socket, or "local" for our own preview. */
  key: string;
  userId: string | undefined;
  name: string;
  avatarUrl: string | null;
}

/**
 * One participant's tile: their video, or their avatar while they send
 * none, their audio, and their name. Tracks are keyed by kind (a participant
 * sends at most one of each) and remember the producer they came from.
 */
export class Tile {
  readonly element: HTMLElement;
  readonly #video: HTMLVideoElement;
  readonly #audio: HTMLAudioElement;
  readonly #producers = new Map<MediaKind, string>();

  constructor(identity: TileIdentity, local: boolean) {
    // Muted so it may autoplay; sound plays from the separate audio element.
    this.#video = el('video', { autoplay: true, playsinline: true, hidden: true });
    this.#video.muted = true;
    this.#audio = el('audio', { autoplay: true });
    this.element = el(
      'div',
      {
        class: 'tile',
        'data-testid': 'tile',
        'data-key': identity.key,
        'data-user-id': identity.userId,
        'data-local': local,
      },
      avatar(identity.name, identity.avatarUrl, 'large'),
      this.#video,
      this.#audio,
      el(
        'span',
        { class: 'label', 'data-testid': 'tile-name' },
        local ? `${identity.name} (you)` : identity.name,
      ),
    );
  }

  /** Plays a track (replacing any earlier one of the same kind). */
  setTrack(kind: MediaKind, track: MediaStreamTrack, producerId: string): void {
    this.#producers.set(kind, producerId);
    const element = kind === 'video' ? this.#video : this.#audio;
    element.srcObject = new MediaStream([track]);
    if (kind === 'video') this.#video.hidden = false;
  }

  /** Stops showing the track of `kind` if it still comes from that producer. */
  removeTrack(kind: MediaKind, producerId: string): void {
    if (this.#producers.get(kind) !== producerId) return;
    this.#producers.delete(kind);
    const element = kind === 'video' ? this.#video : this.#audio;
    element.srcObject = null;
    if (kind === 'video') this.#video.hidden = true;
  }

  remove(): void {
    this.#video.srcObject = null;
    this.#audio.srcObject = null;
    this.element.remove();
  }
}

import type { MediaKind } from '@groupcall/client';
import { avatar, el } from './dom.ts';

export interface TileIdentity {
  /** The participant's socket (with `/screen` for a screen share), or "local" for our own preview. */
  key: string;
  userId: string | undefined;
  name: string;
  avatarUrl: string | null;
}

/**
 * One tile: a participant's video, or their avatar while they send none (or
 * turned the camera off), their audio, their name, a muted icon while their
 * microphone is off and a highlight while they speak. Tracks are keyed by
 * kind (a tile shows at most one of each) and remember the producer they
 * came from.
 */
export class Tile {
  readonly element: HTMLElement;
  readonly #video: HTMLVideoElement;
  readonly #audio: HTMLAudioElement;
  readonly #mutedIcon: HTMLElement;
  readonly #producers = new Map<MediaKind, string>();
  readonly #paused = new Set<MediaKind>();

  constructor(identity: TileIdentity, local: boolean, source: 'camera' | 'screen' = 'camera') {
    // Muted so it may autoplay; sound plays from the separate audio element.
    this.#video = el('video', { autoplay: true, playsinline: true, hidden: true });
    this.#video.muted = true;
    this.#audio = el('audio', { autoplay: true });
    this.#mutedIcon = el(
      'span',
      { class: 'muted-icon', 'data-testid': 'muted-icon', title: 'Microphone off', hidden: true },
      '🔇',
    );
    this.element = el(
      'div',
      {
        class: 'tile',
        'data-testid': 'tile',
        'data-key': identity.key,
        'data-user-id': identity.userId,
        'data-local': local,
        'data-source': source,
      },
      avatar(identity.name, identity.avatarUrl, 'large'),
      this.#video,
      this.#audio,
      el(
        'span',
        { class: 'label' },
        el('span', { 'data-testid': 'tile-name' }, local ? `${identity.name} (you)` : identity.name),
        this.#mutedIcon,
      ),
    );
  }

  /** The video element, whose on-screen size decides the layer to ask for. */
  get video(): HTMLVideoElement {
    return this.#video;
  }

  /** Plays a track (replacing any earlier one of the same kind); `paused`: its sender has it off. */
  setTrack(kind: MediaKind, track: MediaStreamTrack, producerId: string, paused = false): void {
    this.#producers.set(kind, producerId);
    const element = kind === 'video' ? this.#video : this.#audio;
    element.srcObject = new MediaStream([track]);
    this.setPaused(kind, paused);
  }

  /** Whether the track of `kind` comes from `producerId`. */
  shows(kind: MediaKind, producerId: string): boolean {
    return this.#producers.get(kind) === producerId;
  }

  /** The sender muted (audio) or turned off (video) the track: a muted icon, or the avatar. */
  setPaused(kind: MediaKind, paused: boolean): void {
    if (paused) this.#paused.add(kind);
    else this.#paused.delete(kind);
    if (kind === 'audio') {
      this.#mutedIcon.hidden = !paused;
      this.element.dataset.micMuted = String(paused);
    } else {
      this.#video.hidden = paused || !this.#producers.has('video');
      this.element.dataset.cameraOff = String(paused);
    }
  }

  setSpeaking(speaking: boolean): void {
    this.element.classList.toggle('speaking', speaking);
    this.element.dataset.speaking = String(speaking);
  }

  /** Stops showing the track of `kind` if it still comes from that producer; answers whether it did. */
  removeTrack(kind: MediaKind, producerId: string): boolean {
    if (this.#producers.get(kind) !== producerId) return false;
    this.#producers.delete(kind);
    const element = kind === 'video' ? this.#video : this.#audio;
    element.srcObject = null;
    this.setPaused(kind, false);
    return true;
  }

  get empty(): boolean {
    return this.#producers.size === 0;
  }

  remove(): void {
    this.#video.srcObject = null;
    this.#audio.srcObject = null;
    this.element.remove();
  }
}

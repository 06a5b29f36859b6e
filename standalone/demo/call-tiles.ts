import type { RemoteTrackAdded, RemoteTrackRemoved } from '@groupcall/client';
import { LayerFitter } from './layer-fitter.ts';
import { Tile, type TileIdentity } from './tile.ts';

/**
 * The call's grid of tiles: our own preview first, then one tile per remote
 * participant (socket), and one more for each screen share, labelled with
 * the sharer's name. Remote camera tiles ask for the simulcast layer their
 * size needs.
 */
export class CallTiles {
  readonly #container: HTMLElement;
  readonly #tiles = new Map<string, Tile>();
  readonly #fitter: LayerFitter;
  /** Whose camera tile is highlighted: a tile made later (camera back on) starts highlighted too. */
  #activeSpeaker: string | undefined;

  /** `fit` asks the server for a remote video's layer (GroupCallClient.setPreferredLayers). */
  constructor(container: HTMLElement, fit: (producerId: string, spatialLayer: number) => Promise<void>) {
    this.#container = container;
    this.#fitter = new LayerFitter(fit);
  }

  showLocal(identity: Omit<TileIdentity, 'key'>, stream: MediaStream): void {
    const tile = this.#tile({ ...identity, key: 'local' }, true);
    // Only our video: playing our own audio back would echo.
    const video = stream.getVideoTracks()[0];
    if (video) tile.setTrack('video', video, 'local');
  }

  /** Our own microphone or camera went off or on: the same icons the others see. */
  setLocalPaused(kind: 'audio' | 'video', paused: boolean): void {
    this.#tiles.get('local')?.setPaused(kind, paused);
  }

  addTrack({ socketId, participantInfo, kind, track, producerId, source, paused }: RemoteTrackAdded): void {
    const name = participantInfo?.name ?? 'Participant';
    const screen = source === 'screen';
    const tile = this.#tile(
      {
        key: screen ? `${socketId}/screen` : socketId,
        userId: participantInfo?.userId,
        name: screen ? `${name}'s screen` : name,
        avatarUrl: participantInfo?.avatar ?? null,
      },
      false,
      screen ? 'screen' : 'camera',
    );
    tile.setTrack(kind, track, producerId, paused);
    // A screen share is sent as one layer; cameras are simulcast.
    if (kind === 'video' && !screen) this.#fitter.watch(producerId, tile.video);
  }

  removeTrack({ socketId, kind, producerId }: RemoteTrackRemoved): void {
    this.#fitter.unwatch(producerId);
    this.#tiles.get(socketId)?.removeTrack(kind, producerId);
    const share = this.#tiles.get(`${socketId}/screen`);
    if (share?.removeTrack(kind, producerId) && share.empty) this.#drop(`${socketId}/screen`);
  }

  /** A remote track was paused or resumed by its sender. */
  setPaused(producerId: string, paused: boolean): void {
    for (const tile of this.#tiles.values()) {
      for (const kind of ['audio', 'video'] as const)
        if (tile.shows(kind, producerId)) tile.setPaused(kind, paused);
    }
  }

  /** Highlights the camera tile of whoever speaks now. */
  setActiveSpeaker(socketId: string): void {
    this.#activeSpeaker = socketId;
    for (const [key, tile] of this.#tiles) tile.setSpeaking(key === socketId);
  }

  removeParticipant(socketId: string): void {
    this.#drop(socketId);
    this.#drop(`${socketId}/screen`);
  }

  clear(): void {
    for (const key of [...this.#tiles.keys()]) this.#drop(key);
  }

  #drop(key: string): void {
    const tile = this.#tiles.get(key);
    if (!tile) return;
    this.#fitter.unwatchElement(tile.video);
    tile.remove();
    this.#tiles.delete(key);
  }

  #tile(identity: TileIdentity, local: boolean, source: 'camera' | 'screen' = 'camera'): Tile {
    let tile = this.#tiles.get(identity.key);
    if (!tile) {
      tile = new Tile(identity, local, source);
      tile.setSpeaking(identity.key === this.#activeSpeaker);
      this.#tiles.set(identity.key, tile);
      if (local) this.#container.prepend(tile.element);
      else this.#container.append(tile.element);
    }
    return tile;
  }
}

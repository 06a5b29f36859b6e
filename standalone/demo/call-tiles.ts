import type { RemoteTrackAdded, RemoteTrackRemoved } from '@groupcall/client';
import { Tile, type TileIdentity } from './tile.ts';

/** The call's grid of tiles: our own preview first, then one tile per remote participant (socket). */
export class CallTiles {
  readonly #container: HTMLElement;
  readonly #tiles = new Map<string, Tile>();

  constructor(container: HTMLElement) {
    this.#container = container;
  }

  showLocal(identity: Omit<TileIdentity, 'key'>, stream: MediaStream): void {
    const tile = this.#tile({ ...identity, key: 'local' }, true);
    // Only our video: playing our own audio back would echo.
    const video = stream.getVideoTracks()[0];
    if (video) tile.setTrack('video', video, 'local');
  }

  addTrack({ socketId, participantInfo, kind, track, producerId }: RemoteTrackAdded): void {
    const tile = this.#tile(
      {
        key: socketId,
        userId: participantInfo?.userId,
        name: participantInfo?.name ?? 'Participant',
        avatarUrl: participantInfo?.avatar ?? null,
      },
      false,
    );
    tile.setTrack(kind, track, producerId);
  }

  removeTrack({ socketId, kind, producerId }: RemoteTrackRemoved): void {
    this.#tiles.get(socketId)?.removeTrack(kind, producerId);
  }

  removeParticipant(socketId: string): void {
    this.#tiles.get(socketId)?.remove();
    this.#tiles.delete(socketId);
  }

  clear(): void {
    for (const tile of this.#tiles.values()) tile.remove();
    this.#tiles.clear();
  }

  #tile(identity: TileIdentity, local: boolean): Tile {
    let tile = this.#tiles.get(identity.key);
    if (!tile) {
      tile = new Tile(identity, local);
      this.#tiles.set(identity.key, tile);
      if (local) this.#container.prepend(tile.element);
      else this.#container.append(tile.element);
    }
    return tile;
  }
}

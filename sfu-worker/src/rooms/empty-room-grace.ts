import type { Room } from './room.ts';
import type { RoomRegistry } from './room-registry.ts';

/**
 * A room whose last device left stays open for a grace period: a client
 * retrying createRoom after a glitch, or rejoining at once, finds its call
 * still there (and the members still ringing). Only a room still empty when
 * the grace ends is closed, and `onClosed` reports the end of its call.
 */
export class EmptyRoomGrace {
  readonly #registry: RoomRegistry;
  readonly #graceMs: number;
  readonly #onClosed: (room: Room) => void;
  readonly #timers = new Map<Room, NodeJS.Timeout>();

  constructor(registry: RoomRegistry, graceMs: number, onClosed: (room: Room) => void) {
    this.#registry = registry;
    this.#graceMs = graceMs;
    this.#onClosed = onClosed;
  }

  /** A device left `room`: if that emptied it, the grace period starts (again). */
  left(room: Room): void {
    if (room.size > 0) return;
    clearTimeout(this.#timers.get(room));
    const timer = setTimeout(() => {
      this.#timers.delete(room);
      if (this.#registry.closeIfEmpty(room)) this.#onClosed(room);
    }, this.#graceMs);
    // An empty room must not keep a stopping process alive.
    timer.unref();
    this.#timers.set(room, timer);
  }
}

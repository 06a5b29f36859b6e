import { EventEmitter } from 'node:events';
import type { Logger } from '@groupcall/shared/logging';
import type { Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';

interface DrainEvents {
  /** The pod stopped taking new calls. */
  draining: [];
  /** Calls still running at the deadline are about to be ended. */
  deadline: [rooms: Room[]];
}

/**
 * SIGTERM → draining: readiness fails and no new call is placed here, while
 * the calls already running go on until they end or the deadline passes.
 * `drained` resolves when no call is left (or the deadline ended them).
 */
export class Drain extends EventEmitter<DrainEvents> {
  readonly #rooms: RoomRegistry;
  readonly #log: Logger;
  #draining = false;

  constructor(rooms: RoomRegistry, log: Logger) {
    super();
    this.#rooms = rooms;
    this.#log = log.child({ component: 'drain' });
  }

  get draining(): boolean {
    return this.#draining;
  }

  async drain(deadlineMs: number): Promise<void> {
    if (!this.#draining) {
      this.#draining = true;
      this.#log.warn(
        { calls: this.#rooms.rooms.length, deadlineMs },
        'draining: no new calls; running calls go on',
      );
      this.emit('draining');
    }
    const deadline = setTimeout(() => {
      const left = this.#rooms.rooms;
      this.#log.warn(
        { calls: left.length, callIds: left.map((room) => room.callId) },
        'drain deadline reached: ending the remaining calls',
      );
      this.emit('deadline', left);
    }, deadlineMs);
    try {
      await this.#empty();
    } finally {
      clearTimeout(deadline);
    }
    this.#log.info('drained: no calls left');
  }

  #empty(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.#rooms.rooms.length > 0) return;
        this.#rooms.off('roomClosed', check);
        this.#rooms.off('roomInterrupted', check);
        resolve();
      };
      this.#rooms.on('roomClosed', check);
      this.#rooms.on('roomInterrupted', check);
      check();
    });
  }
}

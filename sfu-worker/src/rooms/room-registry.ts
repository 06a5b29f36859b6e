import { EventEmitter } from 'node:events';
import type { Logger } from '@groupcall/shared/logging';
import type { MediaWorkerPool } from '../media/media-worker-pool.ts';
import { CallRouters } from './call-routers.ts';
import { Room } from './room.ts';

interface RegistryEvents {
  /** A room lost its media; it is already removed from the registry. */
  roomInterrupted: [room: Room];
  roomOpened: [room: Room];
  roomSizeChanged: [room: Room];
  roomClosed: [room: Room];
}

/**
 * The calls hosted by this pod. Creating a room is asynchronous (a Router
 * on a Worker), so concurrent `createRoom`s for one call share a single
 * creation and end up on one Router.
 */
export class RoomRegistry extends EventEmitter<RegistryEvents> {
  readonly #pool: MediaWorkerPool;
  readonly #log: Logger;
  readonly #maxParticipantsPerRouter: number;
  readonly #rooms = new Map<string, Room>();
  readonly #creating = new Map<string, Promise<Room>>();

  constructor(pool: MediaWorkerPool, log: Logger, maxParticipantsPerRouter: number) {
    super();
    this.#pool = pool;
    this.#maxParticipantsPerRouter = maxParticipantsPerRouter;
    this.#log = log.child({ component: 'rooms' });
  }

  get rooms(): Room[] {
    return [...this.#rooms.values()];
  }

  get(conversationId: string): Room | undefined {
    return this.#rooms.get(conversationId);
  }

  /**
   * The room of this call. A room still open for an earlier call of the
   * conversation (empty, in its grace period) is closed first: a room
   * belongs to one call.
   */
  async getOrCreate(conversationId: string, callId: string): Promise<Room> {
    const existing = this.#rooms.get(conversationId);
    if (existing && !existing.closed && existing.callId === callId) return existing;
    if (existing && existing.callId !== callId) {
      // Its call already ended; the hosting and the conversation go on with the new call.
      this.#rooms.delete(conversationId);
      existing.close();
      this.#log.info({ conversationId, callId: existing.callId }, 'room of an ended call replaced');
    }
    let creating = this.#creating.get(conversationId);
    if (!creating) {
      creating = this.#create(conversationId, callId).finally(() => this.#creating.delete(conversationId));
      this.#creating.set(conversationId, creating);
    }
    return creating;
  }

  /** Closes a room that nobody is in any more. Returns whether it was closed. */
  closeIfEmpty(room: Room): boolean {
    if (room.size > 0 || this.#rooms.get(room.id) !== room) return false;
    this.forceClose(room);
    return true;
  }

  /** Closes a room whoever is in it (pod shutdown, lost media). */
  forceClose(room: Room): void {
    const registered = this.#rooms.get(room.id) === room;
    if (registered) this.#rooms.delete(room.id);
    room.close();
    if (registered) {
      this.#log.info({ conversationId: room.id, callId: room.callId }, 'call room closed');
      this.emit('roomClosed', room);
    }
  }

  /**
   * Lets a room go from this pod's calls without closing its media: the call
   * is hosted elsewhere from now on (`roomClosed`: its placement is released
   * and a drain counts it gone), while the room keeps forwarding the media of
   * devices that are still moving there. The caller closes it later.
   */
  letGo(room: Room): void {
    if (this.#rooms.get(room.id) !== room) return;
    this.#rooms.delete(room.id);
    this.#log.info({ conversationId: room.id, callId: room.callId }, 'call room let go: handed over');
    this.emit('roomClosed', room);
  }

  closeAll(): void {
    for (const room of this.#rooms.values()) this.forceClose(room);
  }

  async #create(conversationId: string, callId: string): Promise<Room> {
    const routers = await CallRouters.open(conversationId, this.#pool, this.#maxParticipantsPerRouter);
    const room = new Room(conversationId, callId, routers);
    room.once('interrupted', () => {
      if (this.#rooms.get(conversationId) === room) this.#rooms.delete(conversationId);
      this.#log.warn({ conversationId, callId, participants: room.size }, 'call media lost with its worker');
      this.emit('roomInterrupted', room);
    });
    room.on('sizeChanged', () => this.emit('roomSizeChanged', room));
    this.#rooms.set(conversationId, room);
    this.#log.info({ conversationId, callId }, 'call room opened');
    this.emit('roomOpened', room);
    return room;
  }
}

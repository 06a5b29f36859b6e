import { type UserNotifier, userRoom } from '@groupcall/shared/calls';
import type { ServerToClientEvents } from '@groupcall/shared/protocol';
import type { Server } from 'socket.io';

/**
 * Delivers user events through this pod's Socket.IO server. With the Redis
 * adapter the same call reaches devices connected to other pods too.
 * One emit to several user rooms reaches each socket once.
 */
export class SocketIoNotifier implements UserNotifier {
  readonly #io: Server;

  constructor(io: Server) {
    this.#io = io;
  }

  notifyUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void {
    if (userIds.length === 0) return;
    this.#io.to(userIds.map(userRoom)).emit(event, payload);
  }
}

import type { ServerToClientEvents } from '../protocol.ts';

/**
 * Delivers server events to every connected device of some users. On an
 * sfu-worker this is the Socket.IO server itself; in the control plane it is
 * the Socket.IO Redis emitter. Offline users simply have no devices to reach.
 */
export interface UserNotifier {
  notifyUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void;
}

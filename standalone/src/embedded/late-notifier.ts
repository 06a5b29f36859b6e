import type { UserNotifier } from '@groupcall/shared/calls';
import type { ServerToClientEvents } from '@groupcall/shared/protocol';

/**
 * The embedded control plane is built before the Socket.IO server it emits
 * through exists (its routes are mounted on the same HTTP server); this
 * forwards to that server once it is there.
 */
export class LateNotifier implements UserNotifier {
  #target: UserNotifier | undefined;

  connect(target: UserNotifier): void {
    this.#target = target;
  }

  notifyUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void {
    if (!this.#target) throw new Error('notifier used before the Socket.IO server started');
    this.#target.notifyUsers(userIds, event, payload);
  }
}

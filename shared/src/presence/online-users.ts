/**
 * Which users have a device connected to signalling right now (a socket
 * that sent `join`): such a member can ring even without a push token. The
 * sfu-worker pods write it, the control plane reads it when a call starts
 * (members with neither are `unreachable`).
 */
export interface OnlineUsersWriter {
  /** The user's first device on this pod connected. Fire-and-forget: failures are logged. */
  online(userId: string): void;
  /** The user's last device on this pod disconnected. */
  offline(userId: string): void;
}

export interface OnlineUsersReader {
  /** Those of `userIds` with a device connected on any live pod. */
  whoIsOnline(userIds: readonly string[]): Promise<Set<string>>;
}

/** The embedded default: one process holds every socket. */
export class InMemoryOnlineUsers implements OnlineUsersWriter, OnlineUsersReader {
  readonly #online = new Set<string>();

  online(userId: string): void {
    this.#online.add(userId);
  }

  offline(userId: string): void {
    this.#online.delete(userId);
  }

  async whoIsOnline(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.#online.has(id)));
  }
}

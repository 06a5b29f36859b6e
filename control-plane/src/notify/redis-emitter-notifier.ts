import { type UserNotifier, userRoom } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import type { ServerToClientEvents } from '@groupcall/shared/protocol';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';

/**
 * Reaches users' devices from the control plane, which holds no sockets: each
 * event is published once to Redis, where the sfu-workers' Socket.IO Redis
 * adapter picks it up and delivers it to the user rooms on every pod.
 */
export class RedisEmitterNotifier implements UserNotifier {
  readonly #emitter: Emitter<ServerToClientEvents>;

  /** `key` must match the sfu-workers' Redis adapter key (Socket.IO's default, `socket.io`). */
  constructor(redis: Redis, log: Logger, options: { key?: string } = {}) {
    const notifyLog = log.child({ component: 'notifier' });
    // The emitter publishes without awaiting; a failed publish (Redis down)
    // would otherwise be an unhandled rejection, which ends the process.
    const publisher = {
      publish: (channel: string, message: Buffer | string) =>
        redis.publish(channel, message).catch((error: unknown) => {
          notifyLog.error({ err: error, channel }, 'socket event lost: publishing to Redis failed');
        }),
    };
    this.#emitter = new Emitter(publisher, { key: options.key ?? 'socket.io' });
  }

  notifyUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void {
    // An emitter with no rooms broadcasts to every connected socket.
    if (userIds.length === 0) return;
    // TypeScript cannot relate a generic event's parameter tuple to its first element.
    const args = [payload] as Parameters<ServerToClientEvents[E]>;
    this.#emitter.to(userIds.map(userRoom)).emit(event, ...args);
  }
}

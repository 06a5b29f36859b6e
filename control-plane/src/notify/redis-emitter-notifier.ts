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
  readonly #redis: Redis;
  readonly #key: string;
  readonly #log: Logger;

  /** `key` must match the sfu-workers' Redis adapter key (Socket.IO's default, `socket.io`). */
  constructor(redis: Redis, log: Logger, options: { key?: string } = {}) {
    this.#redis = redis;
    this.#key = options.key ?? 'socket.io';
    this.#log = log.child({ component: 'notifier' });
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
    this.#emitterFor(event, payload)
      .to(userIds.map(userRoom))
      .emit(event, ...args);
  }

  /**
   * An emitter (a cheap object) per event, so a lost event is logged with the
   * call it was about. The emitter publishes without awaiting; a failed
   * publish (Redis down) would otherwise be an unhandled rejection, which
   * ends the process.
   */
  #emitterFor(event: string, payload: unknown): Emitter<ServerToClientEvents> {
    const about = { event, ...callNamedBy(payload) };
    const publisher = {
      publish: (channel: string, message: Buffer | string) =>
        this.#redis.publish(channel, message).catch((error: unknown) => {
          this.#log.error({ err: error, channel, ...about }, 'socket event lost: publishing to Redis failed');
        }),
    };
    return new Emitter(publisher, { key: this.#key });
  }
}

/** The conversation and call an event's payload names, if any (every call event names both). */
function callNamedBy(payload: unknown): { conversationId?: string; callId?: string } {
  if (typeof payload !== 'object' || payload === null) return {};
  const { conversationId, callId } = payload as Record<string, unknown>;
  return {
    ...(typeof conversationId === 'string' && { conversationId }),
    ...(typeof callId === 'string' && { callId }),
  };
}

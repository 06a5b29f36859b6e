import { once } from 'node:events';
import type { Logger } from '@groupcall/shared/logging';
import { type PlacementKeys, placementKeys } from '@groupcall/shared/placement';
import type { OnlineUsersWriter } from '@groupcall/shared/presence';
import type { Redis } from 'ioredis';

/**
 * This pod's connected users in Redis (`{prefix}pod:{name}:users`). Readers
 * count the hash only while the pod's heartbeat lives, so a killed pod's
 * users stop counting with it; a pod starting under the same name clears it.
 */
export class RedisOnlineUsers implements OnlineUsersWriter {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #log: Logger;

  constructor(redis: Redis, podName: string, log: Logger, keys: PlacementKeys = placementKeys()) {
    this.#redis = redis;
    this.#key = keys.users(podName);
    this.#log = log.child({ component: 'online-users' });
  }

  /** Forgets the users of an earlier run of this pod (before any socket connects). */
  async clear(): Promise<void> {
    if (this.#redis.status !== 'ready')
      await once(this.#redis, 'ready', { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    await this.#redis
      .del(this.#key)
      .catch((error: unknown) =>
        this.#log.warn({ err: error }, 'could not clear the online users of an earlier run'),
      );
  }

  online(userId: string): void {
    this.#redis.hset(this.#key, userId, '1').catch((error: unknown) => this.#failed(error, userId));
  }

  offline(userId: string): void {
    this.#redis.hdel(this.#key, userId).catch((error: unknown) => this.#failed(error, userId));
  }

  #failed(error: unknown, userId: string): void {
    // The user may be counted wrongly (unreachable or ringing) until they reconnect.
    this.#log.warn({ err: error, userId }, 'could not record an online user');
  }
}

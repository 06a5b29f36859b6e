import type { Logger } from '@groupcall/shared/logging';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';

export interface RedisClientOptions {
  queueOffline?: boolean;
  /**
   * How long one command may take before it fails. Without it a Redis that
   * accepts connections but never answers (hung, SIGSTOP, a full network
   * buffer) keeps every request that waits on it, and the leave queued behind
   * it, waiting forever.
   */
  commandTimeoutMs?: number;
}

/**
 * Redis connections of a pod. Requests fail fast while Redis is unreachable
 * (one retry, no offline queue) or hung (a command timeout) so a new join
 * gets a clear error, and ioredis keeps reconnecting in the background, so
 * the pod re-registers by itself when Redis returns. Running calls never
 * wait on Redis.
 */
export function connectRedis(
  url: string,
  log: Logger,
  name: string,
  options: RedisClientOptions = {},
): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: options.queueOffline ?? false,
    commandTimeout: options.commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(200 * attempt, 2_000),
  });
  let reported = false;
  redis.on('error', (error) => {
    if (!reported)
      log.warn({ redis: name, err: error.message }, 'redis unreachable; retrying in the background');
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) log.info({ redis: name }, 'redis reachable again');
    reported = false;
  });
  return redis;
}

/**
 * The Socket.IO Redis adapter, so user rooms span pods: an event for a user
 * reaches their devices on every pod. The adapter publishes fire-and-forget;
 * during a Redis outage those publishes fail, and must not take the pod (and
 * its running calls) down, so their failures are logged instead.
 */
export function useRedisAdapter(io: Server, url: string, log: Logger, commandTimeoutMs?: number): Redis[] {
  // The adapter subscribes as soon as it is created: those commands must wait
  // for the connection (and ioredis subscribes again after every reconnection),
  // so the subscriber has no command timeout; nothing a request waits on uses it.
  const pub = connectRedis(url, log, 'socket.io-pub', { queueOffline: true, commandTimeoutMs });
  const sub = connectRedis(url, log, 'socket.io-sub', { queueOffline: true });
  const publish = pub.publish.bind(pub);
  pub.publish = ((channel: string, message: string) =>
    publish(channel, message).catch((error: Error) => {
      log.debug({ err: error.message }, 'cross-pod publish failed');
      return 0;
    })) as typeof pub.publish;
  io.adapter(createAdapter(pub, sub));
  return [pub, sub];
}

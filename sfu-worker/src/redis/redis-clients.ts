import type { Logger } from '@groupcall/shared/logging';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';

/**
 * Redis connections of a pod. Requests fail fast while Redis is unreachable
 * (one retry, no offline queue) so a new join gets a clear error at once,
 * and ioredis keeps reconnecting in the background, so the pod re-registers
 * by itself when Redis returns. Running calls never wait on Redis.
 */
export function connectRedis(
  url: string,
  log: Logger,
  name: string,
  options: { queueOffline?: boolean } = {},
): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: options.queueOffline ?? false,
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
export function useRedisAdapter(io: Server, url: string, log: Logger): Redis[] {
  // The adapter subscribes as soon as it is created: those commands must wait
  // for the connection (and ioredis subscribes again after every reconnection).
  const pub = connectRedis(url, log, 'socket.io-pub', { queueOffline: true });
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

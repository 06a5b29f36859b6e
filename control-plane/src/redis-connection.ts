import type { Logger } from '@groupcall/shared/logging';
import { Redis } from 'ioredis';

/** The control plane's Redis connection (call state, placement, socket events, readiness). */
export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    // While Redis is unreachable a request fails at once (503, Retry-After)
    // instead of queueing until Redis comes back: clients retry, and replicas
    // do not pile up held requests during an outage. /readyz keeps traffic
    // away until the first connection is up.
    enableOfflineQueue: false,
    // Commands in flight when the connection drops are resent after a
    // reconnect, but fail after a couple of attempts.
    maxRetriesPerRequest: 2,
    // A Redis that accepts connections but does not answer (overloaded,
    // paused, mid-failover, a silent network partition) fails the request
    // instead of hanging it. Healthy, each of our commands takes well under 1 ms.
    commandTimeout: 2_000,
  });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));
  return redis;
}

/**
 * A connection for the webhook queue (BullMQ): it waits for Redis instead of
 * failing fast (BullMQ requires maxRetriesPerRequest null), since a queued
 * delivery can simply wait for Redis to come back.
 */
export function connectQueueRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error (webhook queue)'));
  return redis;
}

/** Resolves once the connection is ready; until then commands are refused (no offline queue). */
export function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

/**
 * Closes the connection: QUIT when Redis answers, so pending replies arrive
 * first; otherwise (or if QUIT hangs) drop it. A plain QUIT during an outage
 * would wait in the offline queue forever and the process would never exit.
 */
export async function closeRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([redis.quit().catch(() => undefined), timeout]);
  clearTimeout(timer);
  redis.disconnect();
}

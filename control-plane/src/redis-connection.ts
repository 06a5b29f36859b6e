import type { Logger } from '@groupcall/shared/logging';
import { Redis } from 'ioredis';

/** The control plane's Redis connection (call state, socket events, readiness). */
export function connectRedis(url: string, logger: Logger): Redis {
  // During an outage a request fails after a couple of reconnect attempts
  // instead of waiting in ioredis's queue until Redis comes back.
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));
  return redis;
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

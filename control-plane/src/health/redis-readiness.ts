import type { Redis } from 'ioredis';
import type { ReadinessCheck } from './readiness.ts';

/** Redis answers PING. */
export function redisReadiness(redis: Redis): ReadinessCheck {
  return {
    name: 'redis',
    async check() {
      await redis.ping();
    },
  };
}

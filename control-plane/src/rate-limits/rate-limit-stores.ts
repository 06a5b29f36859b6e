import type { Redis } from 'ioredis';
import { type IRateLimiterOptions, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { type CallRateLimiters, CallRateLimits } from './call-rate-limits.ts';
import type { CallRateLimitSettings } from './rate-limit-settings.ts';

/**
 * Where the counters live, the one choice between deployments: Redis for the
 * service (every replica draws from the same counters, so adding replicas
 * does not multiply the limits), memory for the embedded single process.
 */
export type RateLimitStore = { kind: 'redis'; redis: Redis } | { kind: 'memory' };

const keyPrefix = 'groupcall:rate';

export function createCallRateLimits(settings: CallRateLimitSettings, store: RateLimitStore): CallRateLimits {
  const limiter = (name: string, perMinute: number) => {
    const options: IRateLimiterOptions = {
      keyPrefix: `${keyPrefix}:${name}`,
      points: perMinute,
      duration: 60,
    };
    return store.kind === 'redis'
      ? new RateLimiterRedis({ ...options, storeClient: store.redis })
      : new RateLimiterMemory(options);
  };
  const limiters: CallRateLimiters = {
    user: limiter('user', settings.userRequestsPerMinute),
    conversation: limiter('conversation', settings.conversationRequestsPerMinute),
    ring: limiter('ring', settings.ringsPerMinute),
  };
  return new CallRateLimits(limiters);
}

import { RedisPodRegistry } from '@groupcall/shared/placement';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type RedisServer, startRedis } from './redis-server.ts';

/**
 * A real Redis with the pods' registry on it, for a test file about
 * placement or call hosting. Not exported from index.ts: it registers vitest
 * hooks, and benchmarks import the index outside vitest.
 */
export interface RedisPodRegistryFixture {
  readonly server: RedisServer;
  /** A client of `server`, for the test's own commands. */
  readonly redis: Redis;
  /** The registry on `redis`. */
  readonly registry: RedisPodRegistry;
}

/** Starts Redis before the file's tests, empties it before each test and stops it after them. */
export function useRedisPodRegistry(): RedisPodRegistryFixture {
  let started: RedisPodRegistryFixture | undefined;
  beforeAll(async () => {
    const server = await startRedis();
    const redis = new Redis(server.url);
    started = { server, redis, registry: new RedisPodRegistry(redis) };
  });
  afterAll(async () => {
    started?.redis.disconnect();
    await started?.server.stop();
  });
  beforeEach(async () => {
    await running().redis.flushall();
  });
  const running = (): RedisPodRegistryFixture => {
    if (started === undefined) throw new Error('Redis starts in beforeAll');
    return started;
  };
  return {
    get server() {
      return running().server;
    },
    get redis() {
      return running().redis;
    },
    get registry() {
      return running().registry;
    },
  };
}

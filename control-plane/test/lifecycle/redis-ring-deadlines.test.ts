import { createLogger } from '@groupcall/shared/logging';
import { placementKeys, RedisPodRegistry } from '@groupcall/shared/placement';
import { fakePodRecord } from '@groupcall/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisRingDeadlines } from '../../src/lifecycle/redis-ring-deadlines.ts';
import { RedisPlacement } from '../../src/placement/redis-placement.ts';
import { type RedisServer, startRedis } from '../api/support/servers.ts';

let server: RedisServer;
/** One connection per control-plane replica. */
let replicas: Redis[];

beforeAll(async () => {
  server = await startRedis();
  replicas = Array.from({ length: 4 }, () => new Redis(server.url));
});
afterAll(async () => {
  for (const redis of replicas ?? []) redis.disconnect();
  await server?.stop();
});
beforeEach(async () => {
  await replicas[0]?.flushall();
});

describe('RedisRingDeadlines', () => {
  it('hands each due deadline to exactly one of several replicas, and none before it is due', async () => {
    const deadlines = replicas.map((redis) => new RedisRingDeadlines(redis));
    const [first] = deadlines as [RedisRingDeadlines];
    for (let i = 0; i < 50; i++)
      await first.schedule({ conversationId: `c-${i}`, callId: `call-${i}` }, 1_000 + i);
    await first.schedule({ conversationId: 'later', callId: 'call-later' }, 5_000);

    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (deadlines[i % deadlines.length] as RedisRingDeadlines).claimDue(2_000),
      ),
    );

    const claimed = claims.flat().map((d) => d.callId);
    expect(claimed).toHaveLength(50);
    expect(new Set(claimed).size).toBe(50);
    expect(claimed).not.toContain('call-later');
    expect(await first.claimDue(2_000)).toEqual([]);
    expect(await first.claimDue(5_000)).toEqual([{ conversationId: 'later', callId: 'call-later' }]);
  });
});

describe('RedisPlacement.lostCalls', () => {
  it('names the calls placed on a pod whose heartbeat expired, with their callId', async () => {
    const [redis] = replicas as [Redis];
    const registry = new RedisPodRegistry(redis);
    const placement = new RedisPlacement(redis, { log: createLogger('lost-calls-test') });
    await registry.publish(fakePodRecord('sfu-a'));
    await placement.assign('team-alpha');
    await placement.assign('team-beta');
    await redis.hset('groupcall:call:{team-alpha}', 'callId', 'call-1');
    expect(await placement.lostCalls()).toEqual([]);

    // The pod's record expires without heartbeats (as after SIGKILL).
    await redis.del(placementKeys().pod('sfu-a'));

    // team-beta has no call state any more: its placement is dropped instead.
    expect(await placement.lostCalls()).toEqual([
      { conversationId: 'team-alpha', callId: 'call-1', podName: 'sfu-a' },
    ]);
    expect(await redis.exists(placementKeys().assignment('team-beta'))).toBe(0);
    await placement.release('team-alpha', 'sfu-a');
    expect(await placement.lostCalls()).toEqual([]);
    expect(await redis.smembers(placementKeys().placed)).toEqual([]);
  });
});

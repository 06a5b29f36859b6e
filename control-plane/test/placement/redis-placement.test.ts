import { createLogger } from '@groupcall/shared/logging';
import { type PodRecord, placementKeys } from '@groupcall/shared/placement';
import { countRedisCommands, fakePodRecord } from '@groupcall/testing';
import { useRedisPodRegistry } from '@groupcall/testing/redis-pod-registry';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisPlacement } from '../../src/placement/redis-placement.ts';

const log = createLogger('placement-test');
const keys = placementKeys();
const redisPods = useRedisPodRegistry();
/** Control-plane replicas: each its own RedisPlacement on its own connection. */
let replicas: RedisPlacement[];
let connections: Redis[];

beforeEach(() => {
  connections = Array.from({ length: 4 }, () => new Redis(redisPods.server.url));
  replicas = connections.map((redis) => new RedisPlacement(redis, { log }));
});

afterEach(() => {
  for (const connection of connections) connection.disconnect();
});

function publish(podName: string, fields: Partial<PodRecord> = {}): Promise<void> {
  return redisPods.registry.publish(fakePodRecord(podName, fields));
}

const replica = (index = 0) => replicas[index % replicas.length] as RedisPlacement;

describe('RedisPlacement', () => {
  it('answers the pod endpoint of the assignment', async () => {
    await publish('sfu-a');
    expect(await replica().assign('team-alpha', 'call-id-team-alpha')).toEqual({
      podName: 'sfu-a',
      url: 'https://sfu.test',
      path: '/sfu/sfu-a/socket.io',
    });
  });

  it('places one call on one pod however many replicas assign it at once', async () => {
    await Promise.all(['sfu-a', 'sfu-b', 'sfu-c'].map((pod) => publish(pod)));

    const endpoints = await Promise.all(
      Array.from({ length: 20 }, (_, i) => replica(i).assign('team-alpha', 'call-id-team-alpha')),
    );

    expect(new Set(endpoints.map((e) => e.podName)).size).toBe(1);
    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBe(endpoints[0]?.podName);
    // One call pending, on that pod only.
    const pending = await Promise.all(
      ['sfu-a', 'sfu-b', 'sfu-c'].map((pod) => redisPods.redis.zcard(keys.pending(pod))),
    );
    expect(pending.sort()).toEqual([0, 0, 1]);
  });

  it('spreads a burst of new calls evenly, counting calls not joined yet', async () => {
    await Promise.all([publish('sfu-a'), publish('sfu-b')]);

    const endpoints = await Promise.all(
      Array.from({ length: 50 }, (_, i) => replica(i).assign(`call-${i}`, `call-id-call-${i}`)),
    );

    const perPod = countBy(endpoints.map((e) => e.podName));
    // Heartbeats say both pods are empty throughout: only the pending sets tell them apart.
    expect(perPod['sfu-a']).toBeGreaterThanOrEqual(23);
    expect(perPod['sfu-b']).toBeGreaterThanOrEqual(23);
  });

  it('sends no new call to a draining pod, but keeps the calls it has there', async () => {
    await Promise.all([publish('sfu-a'), publish('sfu-b', { participants: 50 })]);
    expect((await replica().assign('team-alpha', 'call-id-team-alpha')).podName).toBe('sfu-a');

    await publish('sfu-a', { state: 'draining' });

    expect((await replica(1).assign('team-alpha', 'call-id-team-alpha')).podName).toBe('sfu-a');
    const newCalls = await Promise.all(
      Array.from({ length: 5 }, (_, i) => replica(i).assign(`call-${i}`, `call-id-call-${i}`)),
    );
    expect(newCalls.map((e) => e.podName)).toEqual(Array(5).fill('sfu-b'));
  });

  it('replaces an assignment whose pod stopped heartbeating', async () => {
    await Promise.all([publish('sfu-a'), publish('sfu-b', { participants: 50 })]);
    expect((await replica().assign('team-alpha', 'call-id-team-alpha')).podName).toBe('sfu-a');

    // sfu-a's record expires, as it does 6 s after its last heartbeat.
    await redisPods.redis.pexpire(keys.pod('sfu-a'), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect((await replica(1).assign('team-alpha', 'call-id-team-alpha')).podName).toBe('sfu-b');
    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBe('sfu-b');
    // The dead pod is dropped from the index, with the calls it was about to host.
    expect(await redisPods.redis.smembers(keys.pods)).toEqual(['sfu-b']);
    expect(await redisPods.redis.exists(keys.pending('sfu-a'))).toBe(0);
  });

  it('gives a full pod nothing, and says so when no pod has room', async () => {
    await Promise.all([publish('sfu-full', { participants: 1000 }), publish('sfu-b', { capacity: 8 })]);

    // sfu-b has room for two new calls of 4 expected participants, then it is full too.
    const placed = [
      await replica().assign('call-1', 'call-id-call-1'),
      await replica().assign('call-2', 'call-id-call-2'),
    ];
    expect(placed.map((e) => e.podName)).toEqual(['sfu-b', 'sfu-b']);
    await expect(replica().assign('call-3', 'call-id-call-3')).rejects.toMatchObject({
      name: 'CallError',
      code: 'unavailable',
      message: 'No media server is available, try again',
    });
    // A call already placed still gets its pod.
    expect((await replica().assign('call-1', 'call-id-call-1')).podName).toBe('sfu-b');
  });

  it('stops counting a call nobody joined after 30 s, and a pod that confirmed a call at once', async () => {
    let now = Date.parse('2026-03-04T05:06:07Z');
    const placement = new RedisPlacement(redisPods.redis, { log, now: () => now });
    await publish('sfu-a', { capacity: 4 });

    await placement.assign('call-1', 'call-id-call-1');
    await expect(placement.assign('call-2', 'call-id-call-2')).rejects.toMatchObject({ code: 'unavailable' });
    now += 31_000;
    expect((await placement.assign('call-2', 'call-id-call-2')).podName).toBe('sfu-a');
    // The pod took call-2 (createRoom): its heartbeat counts it from now on, not the pending set.
    await redisPods.registry.claim('call-2', 'sfu-a');
    expect((await placement.assign('call-3', 'call-id-call-3')).podName).toBe('sfu-a');
  });

  it('refuses every call while no pod is registered', async () => {
    await expect(replica().assign('team-alpha', 'call-id-team-alpha')).rejects.toMatchObject({
      code: 'unavailable',
    });
  });

  it('forgets an assignment on release, unless it moved to another pod', async () => {
    await Promise.all([publish('sfu-a'), publish('sfu-b', { participants: 50 })]);
    await replica().assign('team-alpha', 'call-id-team-alpha');

    await replica().release('team-alpha', 'sfu-b');
    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBe('sfu-a');

    await replica().release('team-alpha', 'sfu-a');
    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBeNull();
    expect(await redisPods.redis.zcard(keys.pending('sfu-a'))).toBe(0);

    await replica().assign('team-alpha', 'call-id-team-alpha');
    await replica().release('team-alpha');
    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBeNull();
  });

  it('costs one Redis round trip per assign', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => publish(`sfu-${i}`)));
    // The first script run on a fresh Redis loads it (EVALSHA answers NOSCRIPT, then EVAL).
    await replica().assign('warm-up', 'call-id-warm-up');

    const counts = await countRedisCommands(redisPods.redis, async () => {
      for (let i = 0; i < 10; i++) await replica().assign(`new-call-${i}`, `call-id-new-call-${i}`);
      for (let i = 0; i < 10; i++) await replica().assign(`new-call-${i}`, `call-id-new-call-${i}`);
    });

    // 20 assigns, 20 round trips: one EVALSHA each, new call or existing.
    expect(counts.roundTrips).toEqual({ evalsha: 20 });
  });
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

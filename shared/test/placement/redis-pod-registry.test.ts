import { describe, expect, it } from 'vitest';
import { fakePodRecord } from '../../../testing/src/fake-pods.ts';
import { useRedisPodRegistry } from '../../../testing/src/redis-pod-registry.ts';
import { type PodRecord, placementKeys } from '../../src/placement/index.ts';

const keys = placementKeys();
const redisPods = useRedisPodRegistry();

/** A pod with some load, so what is read back can be told from the defaults. */
const record = (podName: string, fields: Partial<PodRecord> = {}): PodRecord =>
  fakePodRecord(podName, {
    capacity: 500,
    calls: 2,
    participants: 7,
    consumers: 30,
    cpu: 0.25,
    updatedAt: Date.parse('2026-03-04T05:06:07Z'),
    ...fields,
  });

describe('RedisPodRegistry', () => {
  it('publishes heartbeats that expire unless renewed, and removes pods at once', async () => {
    await redisPods.registry.publish(record('sfu-a'));
    await redisPods.registry.publish(record('sfu-b', { state: 'draining' }));

    expect(await redisPods.registry.pod('sfu-a')).toEqual(record('sfu-a'));
    expect((await redisPods.registry.livePods()).map((p) => [p.podName, p.state]).sort()).toEqual([
      ['sfu-a', 'ready'],
      ['sfu-b', 'draining'],
    ]);
    expect(await redisPods.redis.pttl(keys.pod('sfu-a'))).toBeGreaterThan(5_000);

    await redisPods.registry.remove('sfu-b');
    expect(await redisPods.registry.pod('sfu-b')).toBeUndefined();
    expect(await redisPods.redis.smembers(keys.pods)).toEqual(['sfu-a']);
  });

  it('lets a pod claim a call nobody live hosts, and confirms it (no longer pending)', async () => {
    await redisPods.registry.publish(record('sfu-a'));
    await redisPods.redis.zadd(keys.pending('sfu-a'), Date.now() + 30_000, 'team-alpha');

    expect(await redisPods.registry.claim('team-alpha', 'sfu-a')).toBe('sfu-a');

    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBe('sfu-a');
    expect(await redisPods.redis.zcard(keys.pending('sfu-a'))).toBe(0);
    expect(await redisPods.redis.pttl(keys.assignment('team-alpha'))).toBeGreaterThan(25_000);
  });

  it('answers the live pod that already hosts a call, and takes over from a dead one', async () => {
    await Promise.all([
      redisPods.registry.publish(record('sfu-a')),
      redisPods.registry.publish(record('sfu-b')),
    ]);
    await redisPods.registry.claim('team-alpha', 'sfu-a');

    expect(await redisPods.registry.claim('team-alpha', 'sfu-b')).toBe('sfu-a');

    await redisPods.registry.remove('sfu-a');
    expect(await redisPods.registry.claim('team-alpha', 'sfu-b')).toBe('sfu-b');
  });

  it('releases a call only from the pod that hosts it', async () => {
    await Promise.all([
      redisPods.registry.publish(record('sfu-a')),
      redisPods.registry.publish(record('sfu-b')),
    ]);
    await redisPods.registry.claim('team-alpha', 'sfu-a');

    await redisPods.registry.release('team-alpha', 'sfu-b');
    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBe('sfu-a');

    await redisPods.registry.release('team-alpha', 'sfu-a');
    expect(await redisPods.redis.get(keys.assignment('team-alpha'))).toBeNull();
  });
});

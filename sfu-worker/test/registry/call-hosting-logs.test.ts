import { RedisPodRegistry } from '@groupcall/shared/placement';
import { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../../../testing/src/captured-logs.ts';
import { fakePodRecord } from '../../../testing/src/fake-pods.ts';
import { useRedisPodRegistry } from '../../../testing/src/redis-pod-registry.ts';
import { PodHeartbeat } from '../../src/registry/pod-heartbeat.ts';
import { RedisCallHosting } from '../../src/registry/redis-call-hosting.ts';

/**
 * A production pod's lines about the calls it hosts in the Redis registry
 * (a real Redis) name the call: an operator greps one callId and sees its
 * assignment trouble too, not only the devices' requests.
 */

const { log, lines } = captureLogs('sfu-worker');

const redisPods = useRedisPodRegistry();

beforeEach(() => {
  lines.length = 0;
});

describe('the call-hosting logs of a pod', () => {
  it('name the call whose assignment could not be released', async () => {
    // A client that refuses commands at once, as when Redis went away while the call ran.
    const unreachable = new Redis(redisPods.server.url, { lazyConnect: true, enableOfflineQueue: false });
    const hosting = new RedisCallHosting(new RedisPodRegistry(unreachable), 'sfu-a', log);

    await hosting.release('team-alpha', 'call-1');

    expect(lines.find((l) => l.msg === 'could not release call assignment')).toMatchObject({
      conversationId: 'team-alpha',
      callId: 'call-1',
    });
    unreachable.disconnect();
  });

  it('name the call another pod took over', async () => {
    // sfu-b took the call while sfu-a looked gone (a Redis outage on sfu-a's side).
    await redisPods.registry.publish(fakePodRecord('sfu-b'));
    expect(await redisPods.registry.claim('team-alpha', 'sfu-b')).toBe('sfu-b');
    const moved: string[] = [];
    const heartbeat = new PodHeartbeat({
      registry: redisPods.registry,
      identity: {
        podName: 'sfu-a',
        url: 'https://sfu.test',
        path: '/sfu/sfu-a/socket.io',
        announcedIp: '203.0.113.7',
        capacity: 100,
      },
      load: { sample: async () => ({ calls: 1, participants: 1, consumers: 0, cpu: 0 }) },
      hostedCalls: () => [{ conversationId: 'team-alpha', callId: 'call-1' }],
      state: () => 'ready',
      onCallMoved: (conversationId) => moved.push(conversationId),
      log,
    });

    await heartbeat.beat();

    expect(moved).toEqual(['team-alpha']);
    expect(lines.find((l) => l.msg.startsWith('call now hosted by another pod'))).toMatchObject({
      conversationId: 'team-alpha',
      callId: 'call-1',
      host: 'sfu-b',
    });
    await heartbeat.stop();
  });
});

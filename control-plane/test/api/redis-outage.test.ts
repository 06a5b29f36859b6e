import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneHarness } from './support/control-plane.ts';
import { type RedisServer, startRedis, waitUntil } from './support/servers.ts';

// Each test breaks its own Redis.
let redis: RedisServer | undefined;
let cp: ControlPlaneHarness | undefined;

afterEach(async () => {
  await cp?.close();
  await redis?.stop();
  cp = undefined;
  redis = undefined;
});

const unavailable = { status: 503, body: { error: { code: 'unavailable' } } };

describe('when Redis fails', () => {
  it('answers 503 unavailable with Retry-After, not 500, and stays alive', async () => {
    redis = await startRedis();
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url });
    const started = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha' },
    });
    expect(started.status).toBe(201);

    await redis.stop();

    const responses = [
      await cp.request('GET', '/v1/calls/team-alpha', { as: '2' }),
      await cp.request('POST', '/v1/calls/team-alpha/join', { as: '2' }),
      await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '3' }),
      await cp.request('POST', '/v1/calls', { as: '5', body: { conversationId: 'team-beta' } }),
      await cp.request('POST', '/internal/v1/calls/team-alpha/ended', { asPod: 'sfu-0' }),
    ];
    for (const response of responses) {
      expect(response).toMatchObject(unavailable);
      expect(response.body).toMatchObject({
        error: { message: 'The call service is temporarily unavailable, try again shortly' },
      });
      expect(response.headers.get('retry-after')).toBe('2');
    }
    expect((await cp.request('GET', '/healthz')).status).toBe(200);
  });

  it('answers 503 when Redis hangs instead of hanging the request', async () => {
    redis = await startRedis();
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url });
    const admin = new Redis(redis.url);
    try {
      // Redis accepts connections but runs no command for 4 s (as when overloaded or mid-failover).
      await admin.call('CLIENT', 'PAUSE', '4000', 'ALL');
      const started = performance.now();

      const response = await cp.request('GET', '/v1/calls/team-alpha', { as: '2' });

      expect(response).toMatchObject(unavailable);
      expect(response.headers.get('retry-after')).toBe('2');
      // The control plane's command timeout (2 s), not the pause, ended the request.
      expect(performance.now() - started).toBeLessThan(3_500);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      admin.disconnect();
    }
  });

  it('answers 503 when redis-server is frozen (SIGSTOP) on every call route, then recovers', async () => {
    redis = await startRedis();
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url });
    const frozen = redis;
    frozen.signal('SIGSTOP');
    try {
      const responses = await Promise.all([
        cp.request('POST', '/v1/calls', { as: '1', body: { conversationId: 'team-alpha' } }),
        cp.request('GET', '/v1/calls/team-alpha', { as: '2' }),
        cp.request('POST', '/v1/calls/team-alpha/join', { as: '2' }),
        cp.request('POST', '/v1/calls/team-alpha/decline', { as: '3' }),
      ]);
      for (const response of responses) {
        expect(response).toMatchObject(unavailable);
        expect(response.headers.get('retry-after')).toBe('2');
      }
    } finally {
      frozen.signal('SIGCONT');
    }
    await waitUntil(
      async () =>
        (await cp?.request('POST', '/v1/calls', { as: '1', body: { conversationId: 'team-alpha' } }))
          ?.status === 201,
      { description: 'a call starts once Redis answers again', timeoutMs: 15_000, intervalMs: 250 },
    );
  }, 30_000);
});

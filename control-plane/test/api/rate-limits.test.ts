import { ErrorMessage } from '@groupcall/shared/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CallRateLimitSettings,
  createCallRateLimits,
  RateLimitedError,
} from '../../src/rate-limits/index.ts';
import { type ApiResponse, ControlPlaneHarness } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

// Two control-plane replicas behind one load balancer, sharing one Redis.
let redis: RedisServer;
let replicas: ControlPlaneHarness[] = [];

/** Two replicas on a fresh Redis, with the service's default limits unless told otherwise. */
async function startReplicas(rateLimits?: Partial<CallRateLimitSettings>): Promise<void> {
  redis = await startRedis();
  const first = await ControlPlaneHarness.start({ redisUrl: redis.url, rateLimits });
  const second = await ControlPlaneHarness.start({ redisUrl: redis.url, rateLimits, keepRedisData: true });
  replicas = [first, second];
}

afterEach(async () => {
  for (const replica of replicas) await replica.close();
  await redis?.stop();
  replicas = [];
});

const replica = (i: number) => replicas[i % replicas.length] as ControlPlaneHarness;

function expectTooManyRequests(response: ApiResponse): void {
  expect(response).toMatchObject({
    status: 429,
    body: { error: { code: 'too-many-requests', message: ErrorMessage.tooManyRequests } },
  });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

/** Alice rings Team Alpha and hangs up at once (the room empties, the call ends), on replica `i`. */
async function ringAndLeave(i: number): Promise<ApiResponse> {
  const started = await replica(i).request('POST', '/v1/calls', {
    as: '1',
    body: { conversationId: 'team-alpha', callType: 'video' },
  });
  if (started.status !== 201) return started;
  const podName = (started.body as { endpoint: { path: string } }).endpoint.path.split('/')[2];
  const ended = await replica(i + 1).request('POST', '/internal/v1/calls/team-alpha/ended', {
    asPod: podName,
  });
  expect(ended.status).toBe(204);
  return started;
}

const rings = () => replicas.flatMap((r) => r.push.ofType('group_call_initiate')).length;

describe('the ring flood (start → leave, repeated)', () => {
  it('is limited across replicas: a few rings a minute, then 429 with Retry-After', async () => {
    await startReplicas();
    for (let i = 0; i < 3; i++) expect((await ringAndLeave(i)).status).toBe(201);
    const pushesAfterThree = rings();

    for (let i = 3; i < 8; i++) expectTooManyRequests(await ringAndLeave(i));

    // Nobody was rung again: every refused start stopped before the directory and the push.
    expect(rings()).toBe(pushesAfterThree);
    expect(await replica(0).callState.get('team-alpha')).toBeUndefined();
  });

  it('does not stop other members from calling the same group, nor the caller from joining', async () => {
    await startReplicas();
    for (let i = 0; i < 3; i++) await ringAndLeave(i);
    expectTooManyRequests(await ringAndLeave(3));

    const bob = await replica(1).request('POST', '/v1/calls', {
      as: '2',
      body: { conversationId: 'team-alpha', callType: 'audio' },
    });
    expect(bob.status).toBe(201);
    const aliceJoins = await replica(0).request('POST', '/v1/calls/team-alpha/join', { as: '1' });
    expect(aliceJoins.status).toBe(200);
  });
});

describe('per-user limit on start, join and decline', () => {
  it('counts requests on every replica against one budget', async () => {
    await startReplicas({ userRequestsPerMinute: 4 });
    expect(
      (await replica(0).request('POST', '/v1/calls', { as: '1', body: { conversationId: 'team-alpha' } }))
        .status,
    ).toBe(201);
    const answers: number[] = [];
    for (let i = 1; i < 6; i++)
      answers.push((await replica(i).request('POST', '/v1/calls/team-alpha/join', { as: '1' })).status);
    expect(answers).toEqual([200, 200, 200, 429, 429]);
    // Bob's budget is his own.
    expect((await replica(0).request('POST', '/v1/calls/team-alpha/decline', { as: '2' })).status).toBe(204);
  });
});

describe('the embedded default', () => {
  it('keeps the same limits in memory', async () => {
    const limits = createCallRateLimits(
      { userRequestsPerMinute: 100, conversationRequestsPerMinute: 100, ringsPerMinute: 2 },
      { kind: 'memory' },
    );
    await limits.consume('start', '1', 'team-alpha');
    await limits.consume('start', '1', 'team-alpha');
    const refused = await limits.consume('start', '1', 'team-alpha').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await limits.consume('join', '1', 'team-alpha');
    await limits.consume('start', '2', 'team-alpha');
  });
});

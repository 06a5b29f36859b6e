import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { turnSettingsFromEnv } from '../../src/turn/turn-credentials.ts';
import { ControlPlaneHarness } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

/**
 * Admission answers carry TURN servers with the member's own short-lived
 * credentials (TURN REST API scheme, as coturn's use-auth-secret checks them).
 */

const now = Date.parse('2026-03-04T05:06:07.000Z');
const turn = {
  urls: ['turn:turn.test:3478?transport=udp', 'turns:turn.test:443?transport=tcp'],
  secret: 'turn-test-secret',
  ttlSeconds: 3600,
};
let redis: RedisServer;
let cp: ControlPlaneHarness | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
afterEach(() => cp?.close());

type IceServer = { urls: string[]; username: string; credential: string };

function expectCredentialFor(userId: string, server: IceServer | undefined) {
  expect(server?.urls).toEqual(turn.urls);
  expect(server?.username).toBe(`${Math.floor(now / 1000) + turn.ttlSeconds}:${userId}`);
  // What the TURN server computes from the shared secret alone.
  const expected = createHmac('sha1', turn.secret)
    .update(server?.username ?? '')
    .digest('base64');
  expect(server?.credential).toBe(expected);
}

describe('TURN servers in admission answers', () => {
  it('gives each member credentials of their own, expiring after the configured time', async () => {
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url, clock: { now: () => now }, turn });
    const started = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha', callType: 'video' },
    });
    expect(started.status).toBe(201);
    const alice = (started.body as { iceServers: IceServer[] }).iceServers;
    expect(alice).toHaveLength(1);
    expectCredentialFor('1', alice[0]);

    const joined = await cp.request('POST', '/v1/calls/team-alpha/join', { as: '3' });
    expect(joined.status).toBe(200);
    expectCredentialFor('3', (joined.body as { iceServers: IceServer[] }).iceServers[0]);
  });

  it('answers an empty list when the deployment runs no TURN server', async () => {
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url });
    const started = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha' },
    });
    expect((started.body as { iceServers: unknown }).iceServers).toEqual([]);
  });
});

describe('TURN configuration', () => {
  it('reads TURN_URLS and TURN_SECRET, and refuses one without the other', () => {
    expect(turnSettingsFromEnv({})).toBeUndefined();
    expect(
      turnSettingsFromEnv({
        TURN_URLS: 'turn:a.test:3478, turns:a.test:443?transport=tcp',
        TURN_SECRET: 's',
      }),
    ).toEqual({
      urls: ['turn:a.test:3478', 'turns:a.test:443?transport=tcp'],
      secret: 's',
      ttlSeconds: 21600,
    });
    expect(() => turnSettingsFromEnv({ TURN_URLS: 'turn:a.test:3478' })).toThrow(/TURN_SECRET/);
    expect(() => turnSettingsFromEnv({ TURN_SECRET: 's' })).toThrow(/TURN_URLS/);
    expect(() => turnSettingsFromEnv({ TURN_URLS: 'https://a.test', TURN_SECRET: 's' })).toThrow(
      /turn: or turns:/,
    );
  });
});

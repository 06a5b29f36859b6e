import { createAccessTokenVerifier } from '@groupcall/shared/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenAudience, accessTokenIssuer, hs256Token, JwksServer } from './support/access-tokens.ts';
import { ControlPlaneHarness } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

/** A request with exactly this Authorization header (or none). */
async function withAuthorization(cp: ControlPlaneHarness, authorization: string | undefined) {
  return cp.request('GET', '/v1/calls/team-alpha', {
    headers: authorization === undefined ? {} : { authorization },
  });
}

const unauthenticated = (message: string) => ({ error: { code: 'unauthenticated', message } });

describe('HS256 access tokens (shared secret)', () => {
  let cp: ControlPlaneHarness;
  beforeAll(async () => {
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url });
  });
  afterAll(() => cp?.close());

  it('accepts a valid token', async () => {
    const response = await withAuthorization(cp, `Bearer ${await hs256Token('1')}`);
    expect(response.status).toBe(200);
  });

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    for (const authorization of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer']) {
      const response = await withAuthorization(cp, authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.body).toEqual(unauthenticated('Missing bearer token'));
    }
  });

  it('answers 401 for an expired token', async () => {
    const token = await hs256Token('1', { expiresInSeconds: -60 });
    const response = await withAuthorization(cp, `Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthenticated('Access token expired'));
  });

  it.each([
    [
      'signed with another secret',
      () => hs256Token('1', { secret: 'not-the-threads-backend-secret-000000' }),
    ],
    ['for another audience', () => hs256Token('1', { audience: 'some-other-service' })],
    ['from another issuer', () => hs256Token('1', { issuer: 'https://evil.test' })],
    ['that is not a JWT', async () => 'not.a.jwt'],
    ['that never expires (no exp)', () => hs256Token('1', { expiresInSeconds: null })],
  ])('answers 401 for a token %s', async (_, token) => {
    const response = await withAuthorization(cp, `Bearer ${await token()}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthenticated('Access token is invalid'));
  });

  it('starts nothing for an unauthenticated POST', async () => {
    const response = await cp.request('POST', '/v1/calls', {
      body: { conversationId: 'team-alpha', callerId: '1' },
    });
    expect(response.status).toBe(401);
    expect(cp.push.sent).toEqual([]);
    expect(await cp.callState.get('team-alpha')).toBeUndefined();
  });
});

describe('ES256 access tokens (key set from a JWKS URL)', () => {
  let jwks: JwksServer;
  let cp: ControlPlaneHarness;
  beforeAll(async () => {
    jwks = await JwksServer.start();
    cp = await ControlPlaneHarness.start({
      redisUrl: redis.url,
      auth: createAccessTokenVerifier({
        keys: { kind: 'jwks', url: jwks.url },
        issuer: accessTokenIssuer,
        audience: accessTokenAudience,
      }),
    });
  });
  afterAll(async () => {
    await cp?.close();
    await jwks?.close();
  });

  it('accepts a token signed with the published key', async () => {
    const response = await withAuthorization(cp, `Bearer ${await jwks.sign('1')}`);
    expect(response.status).toBe(200);
  });

  it('answers 401 for a token forged with another key under the same key id', async () => {
    const response = await withAuthorization(cp, `Bearer ${await jwks.forge('1')}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthenticated('Access token is invalid'));
  });

  it('answers 401 for an expired token', async () => {
    const response = await withAuthorization(cp, `Bearer ${await jwks.sign('1', { expiresInSeconds: -60 })}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthenticated('Access token expired'));
  });

  it('answers 401 for a token that never expires (no exp)', async () => {
    const response = await withAuthorization(
      cp,
      `Bearer ${await jwks.sign('1', { expiresInSeconds: null })}`,
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthenticated('Access token is invalid'));
  });

  it('refuses an HS256 token (no algorithm confusion)', async () => {
    const response = await withAuthorization(cp, `Bearer ${await hs256Token('1')}`);
    expect(response.status).toBe(401);
  });
});

describe('when the key set cannot be fetched', () => {
  it('answers 503 (our fault, retry), not 401', async () => {
    const jwks = await JwksServer.start();
    const token = await jwks.sign('1');
    const url = jwks.url;
    await jwks.close();
    const cp = await ControlPlaneHarness.start({
      redisUrl: redis.url,
      auth: createAccessTokenVerifier({ keys: { kind: 'jwks', url, timeoutMs: 1_000 } }),
    });
    try {
      const response = await withAuthorization(cp, `Bearer ${token}`);
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: { code: 'unavailable' } });
    } finally {
      await cp.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneHarness } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

let redis: RedisServer;
let cp: ControlPlaneHarness;

beforeAll(async () => {
  redis = await startRedis();
  cp = await ControlPlaneHarness.start({ redisUrl: redis.url });
});

afterAll(async () => {
  await cp?.close();
  await redis?.stop();
});

/** A body as raw text, the way an attacker sends it. */
async function post(path: string, body: string, as = '1') {
  return cp.request('POST', path, { as, headers: { 'content-type': 'application/json' }, rawBody: body });
}

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON request bodies', () => {
  it('refuses a body nested deeper than a flat request needs, before parsing it', async () => {
    const body = `{"conversationId":"team-alpha","callType":"video","extra":${deep(8000)}}`;
    const response = await post('/v1/calls', body);
    expect(response).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid-request', message: expect.stringContaining('nests deeper') } },
    });
    expect(await cp.callState.get('team-alpha')).toBeUndefined();
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const response = await post(
      '/v1/calls',
      `{"conversationId":"team-beta","callType":"video","note":"${'['.repeat(100)}"}`,
      '5',
    );
    expect(response.status).toBe(201);
  });

  it('answers an oversized body 413 and malformed JSON 400, in the API error shape', async () => {
    const huge = `{"conversationId":"team-alpha","pad":[${'1,'.repeat(20_000)}1]}`;
    expect(await post('/v1/calls', huge)).toMatchObject({
      status: 413,
      body: { error: { code: 'payload-too-large' } },
    });
    expect(await post('/internal/v1/calls/team-alpha/answered', '{"userId":', '')).toMatchObject({
      status: 401,
    });
    expect(await post('/v1/calls', '{"conversationId":')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid-request' } },
    });
  });
});

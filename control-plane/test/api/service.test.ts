import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../../src/openapi/operations.ts';
import { ControlPlaneHarness } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

let redis: RedisServer;
let cp: ControlPlaneHarness;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
beforeEach(async () => {
  cp = await ControlPlaneHarness.start({ redisUrl: redis.url });
});
afterEach(() => cp.close());

describe('GET /openapi.json', () => {
  it('documents every public route the app serves, and nothing else (the internal API stays out)', async () => {
    const response = await cp.request('GET', '/openapi.json');
    const document = response.body as { openapi: string; paths: Record<string, Record<string, unknown>> };

    const served = cp.app.routes
      .filter((route) => route.method !== 'ALL') // middleware
      .map(
        (route) =>
          `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`,
      );
    const isInternal = (route: string) => route.split(' ')[1]?.startsWith('/internal/') ?? false;
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(document.openapi).toBe('3.1.0');
    expect(new Set(documented)).toEqual(new Set(served.filter((route) => !isInternal(route))));
    expect(documented).toHaveLength(operations.length);
    expect(served.filter(isInternal)).toEqual([
      'post /internal/v1/calls/{conversationId}/answered',
      'post /internal/v1/calls/{conversationId}/ended',
      'post /internal/v1/calls/{conversationId}/handed-over',
      'post /internal/v1/calls/{conversationId}/participants/joined',
      'post /internal/v1/calls/{conversationId}/participants/left',
    ]);
  });

  it('is also served under /v1, the prefix the Ingress and HTTPRoute route to the control plane', async () => {
    const root = await cp.request('GET', '/openapi.json');
    const public_ = await cp.request('GET', '/v1/openapi.json');
    expect(public_.status).toBe(200);
    expect(public_.body).toEqual(root.body);
  });

  it('describes bodies and errors from the zod schemas', async () => {
    const { body } = await cp.request('GET', '/openapi.json');
    const start = (body as { paths: Record<string, Record<string, Record<string, unknown>>> }).paths[
      '/v1/calls'
    ]?.post;
    expect(start?.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['conversationId'],
            properties: { callType: { enum: ['video', 'audio'], default: 'video' } },
          },
        },
      },
    });
    expect(Object.keys(start?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '201', '400', '401', '403', '404', '503']),
    );
    expect(start?.security).toEqual([{ bearer: [] }]);
    expect(start?.responses).toMatchObject({
      503: { headers: { 'Retry-After': { schema: { type: 'integer' } } } },
    });
  });
});

describe('GET /metrics', () => {
  it('counts requests and their latency by route pattern and status', async () => {
    await cp.request('GET', '/v1/calls/team-alpha', { as: '1' });
    await cp.request('GET', '/v1/calls/team-beta', { as: '5' });
    await cp.request('GET', '/v1/calls/team-alpha');
    cp.deps.metrics.push.sent(3);

    const { status, headers, body } = await cp.request('GET', '/metrics');

    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain/);
    const text = String(body);
    expect(text).toContain(
      'groupcall_http_requests_total{method="GET",route="/v1/calls/:conversationId",status="200"} 2',
    );
    expect(text).toContain(
      'groupcall_http_requests_total{method="GET",route="/v1/calls/:conversationId",status="401"} 1',
    );
    expect(text).toContain(
      'groupcall_http_request_duration_seconds_count{method="GET",route="/v1/calls/:conversationId",status="200"} 2',
    );
    expect(text).toContain('groupcall_push_sent_total 3');
    for (const reason of ['dead-token', 'permanent', 'transient'])
      expect(text).toContain(`groupcall_push_failed_total{reason="${reason}"} 0`);
    expect(text).toContain('groupcall_push_tokens_pruned_total 0');
  });
});

describe('health', () => {
  it('is alive and ready while Redis answers', async () => {
    expect(await cp.request('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await cp.request('GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { redis: 'ok' } },
    });
    expect(String((await cp.request('GET', '/metrics')).body)).toContain(
      'groupcall_dependency_up{dependency="redis"} 1',
    );
  });

  it('stops being ready when draining', async () => {
    cp.startDraining();
    expect(await cp.request('GET', '/readyz')).toMatchObject({ status: 503, body: { status: 'draining' } });
    expect((await cp.request('GET', '/healthz')).status).toBe(200);
  });

  it('stays alive but is not ready when Redis is down', async () => {
    const ownRedis = await startRedis();
    const harness = await ControlPlaneHarness.start({ redisUrl: ownRedis.url });
    try {
      await ownRedis.stop();
      expect(await harness.request('GET', '/readyz')).toMatchObject({
        status: 503,
        body: { status: 'not-ready', checks: { redis: expect.any(String) } },
      });
      expect((await harness.request('GET', '/healthz')).status).toBe(200);
      // What the GroupcallRedisUnreachable alert fires on.
      expect(String((await harness.request('GET', '/metrics')).body)).toContain(
        'groupcall_dependency_up{dependency="redis"} 0',
      );
    } finally {
      await harness.close();
    }
  });
});

describe('request handling', () => {
  it('echoes a sane x-request-id and generates one otherwise', async () => {
    const given = await cp.request('GET', '/healthz', { headers: { 'x-request-id': 'trace-42_a' } });
    const absent = await cp.request('GET', '/healthz');
    const insane = await cp.request('GET', '/healthz', {
      headers: { 'x-request-id': 'has spaces; and more' },
    });

    expect(given.headers.get('x-request-id')).toBe('trace-42_a');
    expect(absent.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the request id on error responses', async () => {
    const response = await cp.request('GET', '/v1/calls/team-alpha', {
      headers: { 'x-request-id': 'failing-1' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('failing-1');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await cp.request('GET', '/v2/nothing');
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
  });

  it('answers an unexpected failure with a generic 500, keeping the details for the log', async () => {
    const broken = await ControlPlaneHarness.start({
      redisUrl: redis.url,
      directory: {
        conversationMembers: () => Promise.reject(new Error('database exploded')),
        membership: () => Promise.reject(new Error('database exploded')),
      },
    });
    try {
      const response = await broken.request('GET', '/v1/calls/team-alpha', {
        as: '1',
        headers: { 'x-request-id': 'broken-1' },
      });
      expect(response).toMatchObject({
        status: 500,
        body: { error: { code: 'internal', message: 'Internal server error' } },
      });
      expect(response.headers.get('x-request-id')).toBe('broken-1');
    } finally {
      await broken.close();
    }
  });

  it('refuses bodies over 16 KiB with 413', async () => {
    const response = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha', padding: 'x'.repeat(20_000) },
    });
    expect(response).toMatchObject({ status: 413, body: { error: { code: 'payload-too-large' } } });
    expect(cp.push.sent).toEqual([]);
  });
});

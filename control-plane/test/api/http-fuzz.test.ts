import { CallAdmissionSchema } from '@groupcall/shared/protocol';
import { signServiceToken } from '@groupcall/shared/tickets';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hs256Token } from './support/access-tokens.ts';
import { ControlPlaneHarness, podServiceKey } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

// Every HTTP route of a real control plane (real Redis, real HTTP on
// loopback) gets generated requests: hostile bodies, odd paths, methods and
// headers, good and bad credentials. None may crash it or answer 500.
const batches = 250;
const requestsPerBatch = 40; // sent at once: 10,000 requests in all

let redis: RedisServer;
let cp: ControlPlaneHarness;
let credentials: string[];

beforeAll(async () => {
  redis = await startRedis();
  // Limits out of the way: the fuzz is about what the routes do with what they get (429 is tested elsewhere).
  cp = await ControlPlaneHarness.start({
    redisUrl: redis.url,
    rateLimits: { userRequestsPerMinute: 1e9, conversationRequestsPerMinute: 1e9, ringsPerMinute: 1e9 },
  });
  credentials = [
    `Bearer ${await hs256Token('1')}`,
    `Bearer ${await hs256Token('5')}`,
    `Bearer ${await hs256Token('999')}`,
    `Bearer ${await hs256Token('1', { expiresInSeconds: -60 })}`,
    `Bearer ${await hs256Token('1', { expiresInSeconds: null })}`,
    `Bearer ${await signServiceToken(podServiceKey, 'sfu-0')}`,
    'Bearer not.a.jwt',
    'Basic dXNlcjpwYXNz',
    `Bearer ${'a'.repeat(9000)}`,
  ];
}, 60_000);

afterAll(async () => {
  await cp?.close();
  await redis?.stop();
});

const conversationId = fc.oneof(
  fc.constantFrom('team-alpha', 'team-beta', 'nope', '', '%', '%zz', '..', '%2F', 'a'.repeat(300)),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
);

const path = fc.oneof(
  conversationId.map(() => '/v1/calls'),
  conversationId.map((id) => `/v1/calls/${id}`),
  conversationId.map((id) => `/v1/calls/${id}/join`),
  conversationId.map((id) => `/v1/calls/${id}/decline`),
  conversationId.map((id) => `/internal/v1/calls/${id}/answered`),
  conversationId.map((id) => `/internal/v1/calls/${id}/ended`),
  fc.constantFrom('/healthz', '/readyz', '/metrics', '/openapi.json', '/', '/v1', '/v1/calls/', '//v1/calls'),
  fc
    .array(fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent), { maxLength: 6 })
    .map((segments) => `/${segments.join('/')}`),
);

const deep = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        conversationId: fc.oneof(fc.constantFrom('team-alpha', 'team-beta'), fc.jsonValue()),
        callType: fc.oneof(fc.constantFrom('video', 'audio'), fc.jsonValue()),
        userId: fc.oneof(fc.constantFrom('1', '2', 2), fc.jsonValue()),
        callerId: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.integer({ min: 1, max: 6_000 }).map((depth) => deep(depth, '[', ']')),
  fc.integer({ min: 1, max: 2_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 1, max: 12_000 }).map((length) => `[${'0,'.repeat(length)}0]`),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    'null',
    '"',
    '{',
    '{"conversationId":',
    '\u0000',
    '\uFEFF{}',
    '[]',
    '{"__proto__":{"x":1}}',
  ),
);

const request = fc.record({
  method: fc.constantFrom(
    'GET',
    'POST',
    'POST',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'OPTIONS',
    'HEAD',
    'PROPFIND',
  ),
  path,
  body,
  credential: fc.option(fc.nat({ max: 100 }), { nil: undefined }),
  contentType: fc.constantFrom(
    undefined,
    'application/json',
    'text/plain',
    'application/json; charset=utf-16',
    'multipart/form-data; boundary=x',
  ),
  requestId: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(r: FuzzRequest): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (r.credential !== undefined)
    headers.authorization = credentials[r.credential % credentials.length] ?? '';
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.requestId) headers['x-request-id'] = r.requestId.replace(/[^\t\x20-\x7e]/g, '');
  const withBody = r.method !== 'GET' && r.method !== 'HEAD';
  const response = await fetch(`${cp.baseUrl}${r.path}`, {
    method: r.method,
    headers,
    body: withBody ? r.body : undefined,
  });
  return { status: response.status, text: await response.text() };
}

describe('every HTTP route under generated requests', () => {
  it(`answers ${batches * requestsPerBatch} requests without a crash or a 500, then serves a normal call`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: requestsPerBatch, maxLength: requestsPerBatch }),
        async (batch) => {
          const answers = await Promise.all(batch.map(send));
          for (const [i, answer] of answers.entries()) {
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            const sent = batch[i] as FuzzRequest;
            if (answer.status >= 500)
              throw new Error(`${sent.method} ${sent.path} answered ${answer.status}: ${answer.text}`);
            // Every refusal is the API's error shape (HEAD answers carry no body).
            if (answer.status >= 400 && sent.method !== 'HEAD')
              expect(JSON.parse(answer.text)).toMatchObject({ error: { code: expect.any(String) } });
          }
        },
      ),
      { numRuns: batches, endOnFailure: true },
    );
    const answered = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    expect(answered).toBe(batches * requestsPerBatch);
    // The generators reach the handlers, not only the auth and routing in front of them.
    for (const status of [200, 400, 401, 404]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);

    expect((await cp.request('GET', '/healthz')).status).toBe(200);
    const started = await cp.request('POST', '/v1/calls', {
      as: '3',
      body: { conversationId: 'team-alpha', callType: 'video' },
    });
    expect([200, 201]).toContain(started.status);
    expect(CallAdmissionSchema.safeParse(started.body).success).toBe(true);
  }, 180_000);
});

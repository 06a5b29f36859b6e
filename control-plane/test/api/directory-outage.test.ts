import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { freePort } from '@groupcall/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlanetScaleDirectory } from '../../src/directory/planetscale-directory.ts';
import { type ApiResponse, ControlPlaneHarness } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

// The database endpoint (PlanetScale's HTTP API) in the three ways it fails:
// it hangs, it answers errors, or nothing listens. Every request that needs it
// must answer 503 with Retry-After: never a 500, never a hang.
let redis: RedisServer;
let cp: ControlPlaneHarness | undefined;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  await cp?.close();
  cp = undefined;
  for (const close of closers.splice(0)) await close();
});

afterAll(() => redis?.stop());

/** Accepts connections and never answers a byte: an overloaded or partitioned database endpoint. */
async function hungEndpoint(): Promise<string> {
  const sockets: Socket[] = [];
  const server: TcpServer = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://user:secret@127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Answers every statement with a Vitess error, as PlanetScale does when a shard is down. */
async function failingEndpoint(): Promise<string> {
  const server: HttpServer = createHttpServer((_, response) => {
    response.writeHead(503, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        error: { code: 'UNAVAILABLE', message: 'vttablet: rpc error: code = Unavailable' },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://user:secret@127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function requestsNeedingTheDirectory(harness: ControlPlaneHarness): Promise<ApiResponse[]> {
  return Promise.all([
    harness.request('POST', '/v1/calls', { as: '1', body: { conversationId: 'team-alpha' } }),
    harness.request('GET', '/v1/calls/team-alpha', { as: '2' }),
    harness.request('POST', '/v1/calls/team-alpha/join', { as: '2' }),
    harness.request('POST', '/v1/calls/team-alpha/decline', { as: '3' }),
  ]);
}

function expectUnavailable(responses: ApiResponse[]): void {
  for (const response of responses) {
    expect(response).toMatchObject({
      status: 503,
      body: {
        error: {
          code: 'unavailable',
          message: 'The directory is temporarily unavailable, try again shortly',
        },
      },
    });
    expect(response.headers.get('retry-after')).toBe('2');
  }
}

describe('when the directory fails', () => {
  it('answers 503 with Retry-After when the database hangs, instead of hanging', async () => {
    const directory = new PlanetScaleDirectory({ url: await hungEndpoint(), timeoutMs: 500 });
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url, directory });
    expectUnavailable(await requestsNeedingTheDirectory(cp));
  });

  it('answers 503 with Retry-After when the database answers errors', async () => {
    const directory = new PlanetScaleDirectory({ url: await failingEndpoint() });
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url, directory });
    expectUnavailable(await requestsNeedingTheDirectory(cp));
  });

  it('answers 503 with Retry-After when nothing listens', async () => {
    const directory = new PlanetScaleDirectory({ url: `http://user:secret@127.0.0.1:${await freePort()}` });
    cp = await ControlPlaneHarness.start({ redisUrl: redis.url, directory });
    expectUnavailable(await requestsNeedingTheDirectory(cp));
    expect((await cp.request('GET', '/healthz')).status).toBe(200);
  });
});

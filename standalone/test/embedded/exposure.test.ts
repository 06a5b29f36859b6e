import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trustWarning } from '../../src/embedded/trust-warning.ts';
import { startEmbeddedServer } from '../../src/server.ts';
import { startTestServer } from '../support/test-server.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

const oneWorker = { numWorkers: 1, portBase: 0, listenIp: '127.0.0.1' };

describe('the embedded default, which trusts join(userId)', () => {
  it('listens on loopback unless HOST says otherwise', async () => {
    vi.stubEnv('HOST', undefined);
    const server = await startEmbeddedServer({ port: 0, config: { demoPage: false, media: oneWorker } });
    try {
      expect(server.config.host).toBe('127.0.0.1');
      expect((server.io.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.close();
    }
  });

  it('says in its log what trusting join means when it is reachable from elsewhere', () => {
    expect(trustWarning('0.0.0.0', 8000)).toMatch(
      /listens on 0\.0\.0\.0:8000: anyone who can reach it can join any call as any user/,
    );
    expect(trustWarning('192.168.1.20', 8000)).toMatch(/\/dev\/token/);
    for (const loopback of ['127.0.0.1', 'localhost', '::1'])
      expect(trustWarning(loopback, 8000)).toBeUndefined();
  });

  it('issues development tokens only in trust mode', async () => {
    const request = (url: string) =>
      fetch(`${url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: '1' }),
      });
    const trusting = await startTestServer();
    try {
      expect((await request(trusting.url)).status).toBe(200);
    } finally {
      await trusting.close();
    }
    const strict = await startTestServer({ config: { devTrustClientIdentity: false } });
    try {
      expect((await request(strict.url)).status).toBe(404);
    } finally {
      await strict.close();
    }
  });
});

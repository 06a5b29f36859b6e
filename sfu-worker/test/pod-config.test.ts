import { randomBytes } from 'node:crypto';
import { generateTicketKeyPair, publicKeyPem } from '@groupcall/shared/tickets';
import { describe, expect, it } from 'vitest';
import { loadPodConfig } from '../src/pod-config.ts';

const env = {
  POD_NAME: 'groupcall-sfu-0',
  PUBLIC_URL: 'https://sfu.example.com',
  REDIS_URL: 'redis://redis:6379',
  CONTROL_PLANE_URL: 'http://control-plane:8080',
  TICKET_PUBLIC_KEY: publicKeyPem(generateTicketKeyPair().publicKey),
  POD_SERVICE_SECRET: randomBytes(32).toString('hex'),
  AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
  AUTH_ISSUER: 'https://threads.example.com',
  AUTH_AUDIENCE: 'groupcall',
};

describe('the pod configuration', () => {
  it('serves its own path for calls and the home path /socket.io for apps in no call', () => {
    expect(loadPodConfig(env)).toMatchObject({
      socketPath: '/sfu/groupcall-sfu-0/socket.io',
      homeSocketPath: '/socket.io',
    });
    expect(loadPodConfig({ ...env, HOME_SOCKET_PATH: '/calls/socket.io' }).homeSocketPath).toBe(
      '/calls/socket.io',
    );
  });

  it('refuses a home path that would swallow the pods’ own paths or is not a plain absolute path', () => {
    for (const path of ['/sfu', '/sfu/socket.io', '/', 'socket.io', '/socket.io/', '/socket io'])
      expect(() => loadPodConfig({ ...env, HOME_SOCKET_PATH: path }), path).toThrow(/HOME_SOCKET_PATH/);
  });
});

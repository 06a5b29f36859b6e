import { describe, expect, it } from 'vitest';
import { openCallSocket } from '../../src/client/index.ts';

const endpoint = { url: 'http://127.0.0.1:9', path: '/sfu/pod-a/socket.io' };

describe('openCallSocket', () => {
  it("connects to the endpoint's URL and path with the access token in the handshake", () => {
    const socket = openCallSocket(endpoint, { accessToken: 'jwt', socketOptions: { autoConnect: false } });
    expect(socket.io.opts.path).toBe('/sfu/pod-a/socket.io');
    expect(socket.auth).toEqual({ token: 'jwt' });
    expect(socket.connected).toBe(false);
  });

  it('asks for the token on every connection when given a function', async () => {
    let asked = 0;
    const socket = openCallSocket(endpoint, {
      accessToken: async () => `jwt-${++asked}`,
      socketOptions: { autoConnect: false },
    });
    const auth = socket.auth as (callback: (data: object) => void) => void;
    const handshake = () => new Promise<object>((resolve) => auth(resolve));
    expect(await handshake()).toEqual({ token: 'jwt-1' });
    expect(await handshake()).toEqual({ token: 'jwt-2' });
  });

  it('connects without a token when none can be had (the server then refuses join)', async () => {
    const socket = openCallSocket(endpoint, {
      accessToken: () => Promise.reject(new Error('signed out')),
      socketOptions: { autoConnect: false },
    });
    const auth = socket.auth as (callback: (data: object) => void) => void;
    expect(await new Promise<object>((resolve) => auth(resolve))).toEqual({});
  });
});

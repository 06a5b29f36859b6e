import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { listen, portOf, stopServer } from '../../src/http-server.ts';

/** A server whose /slow answers after `ms`, and a way to know it is handling one. */
async function slowServer(ms: number) {
  let started: () => void = () => {};
  const inFlight = new Promise<void>((resolve) => {
    started = resolve;
  });
  const app = new Hono().get('/slow', async (c) => {
    started();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return c.text('done');
  });
  const server = await listen(app.fetch, { host: '127.0.0.1', port: 0 });
  return { server, url: `http://127.0.0.1:${portOf(server)}`, inFlight };
}

describe('graceful stop', () => {
  it('finishes in-flight requests and refuses new connections', async () => {
    const { server, url, inFlight } = await slowServer(300);
    const slow = fetch(`${url}/slow`);
    await inFlight;

    const stopped = stopServer(server, 5_000);
    const answer = await slow;

    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('done');
    expect(await stopped).toEqual({ forced: false });
    await expect(fetch(`${url}/slow`)).rejects.toThrow();
  });

  it('cuts requests still running at the deadline', async () => {
    const { server, url, inFlight } = await slowServer(10_000);
    const slow = fetch(`${url}/slow`).catch((error: unknown) => error);
    await inFlight;

    expect(await stopServer(server, 200)).toEqual({ forced: true });
    expect(await slow).toBeInstanceOf(Error);
  });
});

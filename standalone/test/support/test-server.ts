import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type EmbeddedServerOptions, type RunningServer, startEmbeddedServer } from '../../src/server.ts';
import { TestClient } from './test-client.ts';

/**
 * A real embedded server for a test file: real mediasoup (one Worker, ports
 * chosen by the OS), real Socket.IO on a free loopback port, the demo
 * directory and push to an in-memory log.
 */
export async function startTestServer(options: EmbeddedServerOptions = {}): Promise<RunningServer> {
  return startEmbeddedServer({
    ...options,
    port: 0,
    config: {
      host: '127.0.0.1',
      demoPage: false,
      // A room that empties ends soon after (production: 10 s).
      emptyRoomGraceMs: 300,
      ...options.config,
      media: { numWorkers: 1, portBase: 0, listenIp: '127.0.0.1', ...options.config?.media },
    },
  });
}

/** Every mediasoup object the server creates from now on, to assert on server-side state. */
export function watchMediasoup(server: RunningServer) {
  const seen = {
    transports: [] as types.Transport[],
    producers: [] as types.Producer[],
    consumers: [] as types.Consumer[],
    routers: [] as types.Router[],
  };
  const watchWorker = (worker: types.Worker) =>
    worker.observer.on('newrouter', (router) => {
      seen.routers.push(router);
      router.observer.on('newtransport', (transport) => {
        seen.transports.push(transport);
        transport.observer.on('newproducer', (p) => seen.producers.push(p));
        transport.observer.on('newconsumer', (c) => seen.consumers.push(c));
      });
    });
  for (const worker of server.media.workers) watchWorker(worker);
  server.media.on('workerReplaced', (index) => {
    const worker = server.media.workers[index];
    if (worker) watchWorker(worker);
  });
  return seen;
}

export interface ServerFixture {
  /** The server of the current test file (or test, with `perTest`). */
  readonly server: RunningServer;
  /** A connected client that has emitted join(userId); closed after each test. */
  joined(userId: string): Promise<TestClient>;
  /** Closes `client` after the current test. */
  track(client: TestClient): TestClient;
}

/**
 * Registers the hooks of a signalling test file: a real server (one per file,
 * or a fresh one per test with `perTest`) and clients closed after each test,
 * waiting until the server has forgotten every call so tests never share one.
 */
export function useTestServer(options: EmbeddedServerOptions & { perTest?: boolean } = {}): ServerFixture {
  let server: RunningServer | undefined;
  const clients: TestClient[] = [];
  const [before, after] = options.perTest ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    server = await startTestServer(options);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    if (!options.perTest) await expect.poll(() => server?.rooms.rooms.length).toBe(0);
  });
  after(() => server?.close());
  const fixture: ServerFixture = {
    get server() {
      if (!server) throw new Error('the test server is not running');
      return server;
    },
    async joined(userId) {
      return fixture.track(await TestClient.joined(fixture.server.url, userId));
    },
    track(client) {
      clients.push(client);
      return client;
    },
  };
  return fixture;
}

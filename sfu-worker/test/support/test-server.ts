import type { types } from 'mediasoup';
import { type EmbeddedServerOptions, type RunningServer, startEmbeddedServer } from '../../src/server.ts';

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

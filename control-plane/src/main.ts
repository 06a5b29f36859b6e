import { createLogger } from '@groupcall/shared/logging';
import { productionAdapters } from './adapters.ts';
import { createControlPlaneApp } from './app.ts';
import { loadConfig } from './config.ts';
import { listen, portOf, stopServer } from './http-server.ts';

/**
 * The standalone control plane: configuration from the environment, Redis
 * for socket events and call state, HTTP on PORT. SIGTERM drains: /readyz
 * turns 503, in-flight requests finish (up to SHUTDOWN_TIMEOUT_SECONDS),
 * queued pushes go out, then Redis is closed and the process exits.
 */
const logger = createLogger('control-plane');
/** After the last request, queued pushes (rings, stop-ringing) get this long to go out. */
const pushFlushTimeoutMs = 5_000;

try {
  const config = loadConfig();
  const adapters = productionAdapters(config, logger);
  const controlPlane = createControlPlaneApp(adapters.deps);
  const server = await listen(controlPlane.app.fetch, config);
  logger.info({ host: config.host, port: portOf(server) }, 'control plane listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: draining requests');
    controlPlane.startDraining();
    const { forced } = await stopServer(server, config.shutdownTimeoutMs);
    await controlPlane.close();
    await adapters.close(pushFlushTimeoutMs);
    logger.info({ forced }, forced ? 'stopped; cut requests still running at the deadline' : 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
} catch (error) {
  logger.fatal({ err: error }, 'control plane failed to start');
  process.exit(1);
}

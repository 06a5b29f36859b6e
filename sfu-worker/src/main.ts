import { createLogger } from '@groupcall/shared/logging';
import { startPod } from './pod.ts';

/**
 * Entry point of a production sfu-worker pod (the container's command).
 * Configuration comes from the environment and mounted secret files; see
 * pod-config.ts and config.ts. SIGTERM drains, then exits 0.
 */
const log = createLogger('sfu-worker');

// A bug in a fire-and-forget path must not end every call on the pod.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

try {
  const pod = await startPod(process.env, log);
  log.info({ podName: pod.podName, port: pod.port }, 'sfu-worker pod is up');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining calls first');
    pod.shutdown().then(
      () => process.exit(0),
      (error: Error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  log.fatal({ err: (error as Error).message }, 'sfu-worker pod cannot start');
  process.exit(1);
}

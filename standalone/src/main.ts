import { createLogger } from '@groupcall/shared/logging';
import { startEmbeddedServer } from './server.ts';

/**
 * `pnpm start` / scripts/start: the embedded default, one process, no
 * external servers. Stops cleanly on SIGINT/SIGTERM.
 */
const log = createLogger('groupcall');

try {
  const server = await startEmbeddedServer({ log });
  log.info({ url: server.url }, 'groupcall is up');
  console.log(
    `\n  groupcall (embedded default) is running.\n  Demo page: ${server.url}/\n  Open it in two tabs, pick two members of Team Alpha, and start a call.\n`,
  );
  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  log.fatal({ err: error }, 'groupcall failed to start');
  process.exit(1);
}

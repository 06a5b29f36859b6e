import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';

type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Serves a fetch handler (the Hono app) on node:http; resolves once listening. */
export async function listen(fetch: FetchHandler, options: { host: string; port: number }): Promise<Server> {
  const server = createServer(getRequestListener(fetch));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The server is not listening on TCP');
  return address.port;
}

/**
 * Graceful stop: refuse new connections, let in-flight requests finish, and
 * cut whatever is still open after `timeoutMs`. Idle keep-alive connections
 * are closed as they become idle, so clients reconnect to another replica.
 */
export function stopServer(server: Server, timeoutMs: number): Promise<{ forced: boolean }> {
  return new Promise((resolve) => {
    let forced = false;
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve({ forced });
    });
  });
}

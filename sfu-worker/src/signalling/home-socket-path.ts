import type { Server as HttpServer, IncomingMessage } from 'node:http';

/**
 * Serves the pod's signalling also on the stable home path (`/socket.io`),
 * which the ingress routes to any ready pod: apps that are in no call listen
 * there (rings, banners, ends reach them from whichever pod holds the call,
 * through the Redis adapter's user rooms), and every call endpoint stays the
 * pod's own path. A Socket.IO server answers one path, so home requests are
 * renamed to the pod's path before engine.io, which checks the path of each
 * request and upgrade, sees them: both paths are one server, the same
 * sockets, limits and metrics.
 */
export function serveHomeSocketPath(httpServer: HttpServer, paths: { home: string; pod: string }): void {
  const homePrefix = `${paths.home}/`;
  const podPrefix = `${paths.pod}/`;
  const rename = (request: IncomingMessage) => {
    if (request.url?.startsWith(homePrefix)) request.url = podPrefix + request.url.slice(homePrefix.length);
  };
  // Prepended: they run before engine.io's listeners, whatever order those were added in.
  httpServer.prependListener('request', rename);
  httpServer.prependListener('upgrade', rename);
}

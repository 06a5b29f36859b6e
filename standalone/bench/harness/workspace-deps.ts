import { createRequire } from 'node:module';

/**
 * Two benchmark tools are not sfu-worker dependencies of their own: `ws`, the
 * WebSocket library socket.io itself runs on (resolved through socket.io →
 * engine.io, so the baseline uses the very same copy), and mediasoup-client,
 * which the client SDK (shared) depends on and the browser page bundles.
 */
const fromSfuWorker = createRequire(new URL('../../package.json', import.meta.url));
const fromSocketIo = createRequire(fromSfuWorker.resolve('socket.io'));
const fromEngineIo = createRequire(fromSocketIo.resolve('engine.io'));

/** The part of ws's API the benchmarks use (its type package is not installed). */
export interface WsSocket {
  send(data: string): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  terminate(): void;
}
interface Ws {
  WebSocket: new (url: string, options?: { localAddress?: string }) => WsSocket;
  WebSocketServer: new (options: {
    server: import('node:http').Server;
  }) => {
    on(event: 'connection', listener: (ws: WsSocket, req: import('node:http').IncomingMessage) => void): void;
  };
}

export const workspaceRequire = {
  ws: () => fromEngineIo('ws') as Ws,
};

/** Folders esbuild searches for the browser page's imports (mediasoup-client, socket.io-client). */
export const browserNodePaths = [
  new URL('../../../client/node_modules', import.meta.url).pathname,
  new URL('../../node_modules', import.meta.url).pathname,
];

import { connect } from 'node:net';

/**
 * Opens a TCP connection to a local server, optionally writes `request`, and
 * lets `verdict` judge the bytes received so far: true (ready), false (not
 * ready) or undefined (need more bytes). Resolves false when the server
 * closes or stays silent for `timeoutMs`; rejects when it cannot connect.
 * Readiness probes use it so they need no client library.
 */
export function tcpProbe(
  port: number,
  request: string | undefined,
  verdict: (received: Buffer) => boolean | undefined,
  timeoutMs = 1_000,
  host = '127.0.0.1',
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (ready: boolean) => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
    socket.once('connect', () => {
      if (request !== undefined) socket.write(request);
    });
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const ready = verdict(received);
      if (ready !== undefined) finish(ready);
    });
    socket.once('end', () => finish(false));
  });
}

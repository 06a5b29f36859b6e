import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadMediasoup } from '@groupcall/sfu-worker/composition';
import type { types } from 'mediasoup';

/**
 * The mediasoup a benchmark drives: the installed one, or, when
 * GROUPCALL_BENCH_MEDIASOUP_DIR names another mediasoup package (compare-workers.ts
 * installs other versions outside the checkout), that one, with the worker
 * binary MEDIASOUP_WORKER_BIN names. A worker only speaks to the JavaScript of
 * its own version, so both always come as a pair.
 */
export async function loadBenchMediasoup(): Promise<typeof import('mediasoup')> {
  const dir = process.env.GROUPCALL_BENCH_MEDIASOUP_DIR;
  if (!dir) return loadMediasoup();
  if (!process.env.MEDIASOUP_WORKER_BIN)
    throw new Error('GROUPCALL_BENCH_MEDIASOUP_DIR needs MEDIASOUP_WORKER_BIN');
  return (await import(
    pathToFileURL(path.join(dir, 'node', 'lib', 'index.js')).href
  )) as typeof import('mediasoup');
}

/** The listen option of a PlainTransport, as the installed mediasoup types name it. */
export type LoopbackListen = { listenInfo: types.TransportListenInfo };

/**
 * PlainTransport listen options on loopback for the mediasoup being driven:
 * `listenInfo` since 3.13, `listenIp` before (compare-workers drives other
 * versions than the installed one, whose types name only one of them).
 */
export function loopbackListen(mediasoup: { version: string }): LoopbackListen {
  const [major = 0, minor = 0] = mediasoup.version.split('.').map(Number);
  if (major === 3 && minor < 13) return { listenIp: '127.0.0.1' } as unknown as LoopbackListen;
  return { listenInfo: { protocol: 'udp', ip: '127.0.0.1' } };
}

import path from 'node:path';
import { type LabNode, type ServerProcess, spawnInNode, waitUntil } from '@groupcall/testing';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
export const signallingPort = 8000;
export const mediaPort = 40000;

export interface LabMediaServer {
  /** The server's origin as participants reach it, e.g. http://198.18.1.2:8000. */
  origin: string;
  process: ServerProcess;
  stop(): Promise<void>;
}

/**
 * The product's embedded default (standalone/src/main.ts: control plane,
 * signalling, real mediasoup) as its own process inside a lab node: HTTP,
 * Socket.IO and the WebRtcServer (UDP and TCP 40000) listen on the node's
 * address only.
 */
export async function startLabMediaServer(
  node: LabNode,
  env: Record<string, string> = {},
): Promise<LabMediaServer> {
  const origin = `http://${node.address}:${signallingPort}`;
  const server = spawnInNode(node, 'groupcall', process.execPath, ['standalone/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: node.address,
      PORT: String(signallingPort),
      PUBLIC_URL: origin,
      MEDIASOUP_LISTEN_IP: node.address,
      MEDIASOUP_PORT_BASE: String(mediaPort),
      MEDIASOUP_NUM_WORKERS: '1',
      DEMO_PAGE: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  try {
    await waitUntil(async () => server.output().includes('groupcall is up'), {
      description: `the media server in ${node.name} is up`,
      timeoutMs: 60_000,
      intervalMs: 100,
      failFast: () => server.exitError(),
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { origin, process: server, stop: () => server.stop() };
}

import path from 'node:path';
import { type LabNode, makeTempDir, type ServerProcess, spawnInNode, waitUntil } from '@groupcall/testing';

export const turnPort = 3478;

export interface LabTurnServer {
  /** What TURN_URLS says to clients: UDP and TCP on the node's address. */
  urls: string[];
  process: ServerProcess;
  stop(): Promise<void>;
}

/**
 * A real coturn (Debian's `turnserver`) inside a lab node, checking
 * credentials the way production does: the TURN REST API scheme with a
 * shared secret (use-auth-secret / static-auth-secret). Plain TURN on
 * UDP and TCP 3478, relaying from the node's own address.
 */
export async function startLabTurnServer(node: LabNode, secret: string): Promise<LabTurnServer> {
  const dir = makeTempDir('lab-coturn');
  const server = spawnInNode(node, 'coturn', 'turnserver', [
    '-n',
    `--listening-ip=${node.address}`,
    `--relay-ip=${node.address}`,
    `--listening-port=${turnPort}`,
    '--min-port=49152',
    '--max-port=49999',
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=groupcall.lab',
    '--fingerprint',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    // Session lines ("ALLOCATE processed, success") are logged in verbose mode only.
    '--verbose',
    '--simple-log',
    '--log-file=stdout',
    `--pidfile=${path.join(dir.path, 'turnserver.pid')}`,
  ]);
  try {
    await waitUntil(async () => /listener opened on|Total General servers/i.test(server.output()), {
      description: `coturn in ${node.name} listens`,
      timeoutMs: 20_000,
      intervalMs: 100,
      failFast: () => server.exitError(),
    });
  } catch (error) {
    await server.stop();
    dir.remove();
    throw error;
  }
  return {
    urls: [
      `turn:${node.address}:${turnPort}?transport=udp`,
      `turn:${node.address}:${turnPort}?transport=tcp`,
    ],
    process: server,
    async stop() {
      await server.stop();
      dir.remove();
    },
  };
}

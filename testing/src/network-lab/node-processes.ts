import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumExecutable } from '../chromium.ts';
import { type ServerProcess, type SpawnOptions, spawnServer } from '../server-process.ts';
import type { TempDir } from '../temp-dir.ts';
import type { LabNode } from './lab-node.ts';

/**
 * Runs a server (a media server, a TURN server) inside a lab node: its
 * sockets are the node's, so it is reached at the node's address only.
 * `ip netns exec` execs the command, so the process's pid is the server's.
 */
export function spawnInNode(
  node: LabNode,
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ServerProcess {
  return spawnServer(name, 'ip', ['netns', 'exec', node.namespace, command, ...args], options);
}

/**
 * An executable that starts Chromium inside the node, for Playwright's
 * `executablePath`. Playwright drives Chromium over an inherited pipe
 * (`--remote-debugging-pipe`), which `ip netns exec` keeps, so the test
 * controls a browser whose network is the node's.
 */
export function chromiumInNode(node: LabNode, dir: TempDir): string {
  const path = join(dir.path, `chromium-${node.namespace}`);
  writeFileSync(path, `#!/bin/sh\nexec ip netns exec '${node.namespace}' '${chromiumExecutable}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

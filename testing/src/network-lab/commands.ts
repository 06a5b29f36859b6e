import { execFileSync, spawn } from 'node:child_process';
import { runToCompletion } from '../server-process.ts';

/**
 * The lab's only way to touch the kernel: `ip`, `tc`, `nft` and `ss`, run to
 * completion, each inside a namespace the lab made (`ip -n NS ...`,
 * `ip netns exec NS nft ...`), so nothing on the machine's own network changes.
 */

export async function ip(...args: string[]): Promise<void> {
  await runToCompletion('ip', 'ip', args, { timeoutMs: 15_000 });
}

export async function tc(namespace: string, ...args: string[]): Promise<void> {
  await runToCompletion('tc', 'ip', ['netns', 'exec', namespace, 'tc', ...args], { timeoutMs: 15_000 });
}

/** Closes the TCP sockets of a namespace that match an `ss` filter (`ss -K`: the kernel aborts them). */
export async function killSockets(namespace: string, ...filter: string[]): Promise<void> {
  await runToCompletion('ss', 'ip', ['netns', 'exec', namespace, 'ss', '-K', '-t', ...filter], {
    timeoutMs: 15_000,
  });
}

/** Loads an nftables script (`nft -f -` reads it from stdin) inside a namespace. */
export function nft(namespace: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', namespace, 'nft', '-f', '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(new Error(`nft failed in ${namespace} (code ${code}): ${stderr}\n--- script ---\n${script}`));
    });
    child.stdin.end(script);
  });
}

/** Reads nftables state (`nft -j list ...`) inside a namespace. */
export function nftJson(namespace: string, ...args: string[]): unknown {
  const out = execFileSync('ip', ['netns', 'exec', namespace, 'nft', '-j', ...args], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** Synchronous, for exit handlers (nothing asynchronous runs during 'exit'). Ignores failures. */
export function deleteNamespaceNow(namespace: string): void {
  try {
    execFileSync('ip', ['netns', 'del', namespace], { stdio: 'ignore' });
  } catch {
    // Already gone.
  }
}

export function listNamespaces(): string[] {
  try {
    const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter(Boolean);
  } catch {
    return [];
  }
}

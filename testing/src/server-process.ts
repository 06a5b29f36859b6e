import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { onProcessExit } from './exit-cleanup.ts';

const execFileAsync = promisify(execFile);

/** How much of a server's recent stdout/stderr is kept for error messages. */
const OUTPUT_LIMIT = 64 * 1024;

/**
 * A server process a test started (redis-server, mariadbd, a service under
 * test). Its stdout and stderr are captured so that a failure can show what
 * the server said; it is killed at process exit if the test never stops it.
 */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** The last 64 KiB the process wrote to stdout and stderr. */
  output(): string;
  /** Set once the process has exited or failed to spawn: why, with its output. */
  exitError(): Error | undefined;
  /** An error about this process whose message ends with the process output. */
  failure(message: string): Error;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Sends a signal and returns at once (a drain, a crash). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited, with how it exited. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function spawnServer(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ServerProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const capture = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);

  const failure = (message: string) =>
    new Error(`${message}\n--- ${name} output (${command} ${args.join(' ')}) ---\n${output || '(none)'}`);

  let exitError: Error | undefined;
  let exitStatus: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitError ??= failure(`${name} could not be started: ${error.message}`);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      exitError ??= failure(`${name} exited (${signal ? `signal ${signal}` : `code ${code}`})`);
      resolve();
    });
  });
  const unregister = onProcessExit(() => killNow(child));

  return {
    name,
    pid: child.pid ?? -1,
    output: () => output,
    exitError: () => exitError,
    failure,
    async stop(graceMs = 5_000) {
      unregister();
      if (exitError) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    signal(signal) {
      child.kill(signal);
    },
    async exit() {
      await exited;
      return exitStatus;
    },
  };
}

function killNow(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Runs a command to completion (an installer, a setup step); rejects with its output if it fails. */
export async function runToCompletion(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 60_000, ...spawnOptions } = options;
  try {
    await execFileAsync(command, args, { ...spawnOptions, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { message, stdout = '', stderr = '' } = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${name} failed: ${message}\n--- ${name} output ---\n${stdout}${stderr}`);
  }
}

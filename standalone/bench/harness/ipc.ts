import { type ChildProcess, fork } from 'node:child_process';
import { type Cores, deadline, pinToCore, stopChild } from './proc.ts';

/**
 * Benchmarks put the process under test and the load generators in separate
 * Node processes (pinned to separate cores) and drive them by request/response
 * over the IPC channel: `child.call('blast', {...})` here, `serveIpc({ blast })`
 * in the child.
 */

type Handler = (arg: never) => unknown;
interface IpcRequest {
  id: number;
  cmd: string;
  arg: unknown;
}
interface IpcResponse {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class BenchChild {
  readonly process: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.process = child;
    child.on('message', (message: IpcResponse) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(message.error));
    });
    child.once('exit', (code, signal) => {
      for (const { reject } of this.#pending.values())
        reject(new Error(`bench child exited (${code ?? signal})`));
      this.#pending.clear();
    });
  }

  get pid(): number {
    return this.process.pid as number;
  }

  /** Forks a Node script, pins it to `core` (at `nice`, else pinToCore's) and waits for its `ready` message. */
  static async start(
    script: URL,
    options: { core: Cores; nice?: number; args?: string[]; execArgv?: string[] },
  ) {
    const child = fork(script, options.args ?? [], {
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    pinToCore(child.pid as number, options.core, options.nice);
    const bench = new BenchChild(child);
    await deadline(bench.call('ready'), 30_000, `${script.pathname} to start`);
    return bench;
  }

  call<T = unknown>(cmd: string, arg?: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.#nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.process.send({ id, cmd, arg } satisfies IpcRequest);
    return deadline(reply, timeoutMs, `${cmd} in bench child`);
  }

  stop(): Promise<void> {
    return stopChild(this.process);
  }
}

/** In a child: answers the parent's calls. `ready` is built in. */
export function serveIpc(handlers: Record<string, Handler>): void {
  const all: Record<string, Handler> = { ready: () => true, ...handlers };
  process.on('message', async (message: IpcRequest) => {
    const handler = all[message.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      const result = await handler(message.arg as never);
      process.send?.({ id: message.id, ok: true, result } satisfies IpcResponse);
    } catch (error) {
      process.send?.({ id: message.id, ok: false, error: (error as Error).stack } satisfies IpcResponse);
    }
  });
  // The parent going away ends the child: no orphaned load generators.
  process.on('disconnect', () => process.exit(0));
}

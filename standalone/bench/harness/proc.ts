import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Process-level measurement from outside the process under test, so the
 * measuring code never adds to the number it measures: CPU time of pids and
 * of everything else on the machine (/proc), per-socket UDP drops, perf
 * profiles; and placement: pinning to a core (taskset) and priority (renice).
 */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Clock ticks per second for /proc/<pid>/stat times (100 on every Linux we know, but ask). */
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (every thread), in microseconds. Resolution: one clock tick (10 ms). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing paren are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / clockTicks;
}

export interface CpuSample {
  /** CPU time used by the process during the window, µs. */
  cpuUs: number;
  wallUs: number;
  /** Share of one core: 1 = one core fully busy. */
  cores: number;
}

/** Measures the CPU of some pids over a window: `const stop = startCpu(pid); …; stop()`. */
export function startCpu(...pids: number[]): () => CpuSample {
  const total = () => pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  return startWindow(total);
}

function startWindow(readMicros: () => number): () => CpuSample {
  const cpu0 = readMicros();
  const wall0 = performance.now();
  return () => {
    const cpuUs = readMicros() - cpu0;
    const wallUs = (performance.now() - wall0) * 1000;
    return { cpuUs, wallUs, cores: cpuUs / wallUs };
  };
}

/** Two cores are needed to keep the process under test and its load generator apart. */
export const canPin = os.availableParallelism() >= 2;
/** The core the system under test runs on (mediasoup Worker, signalling server). */
export const SUT_CORE = 0;
/** The core the load generators (ffmpeg, UDP sink, socket clients, this controller) run on. */
export const LOAD_CORE = 1;

/**
 * Scheduling priority: the process under test runs at SUT_NICE and load
 * generators at LOAD_NICE, so other work on a shared machine (builds, other
 * test runs) takes less of their cores and ffmpeg's real-time pacing holds.
 */
export const SUT_NICE = -10;
export const LOAD_NICE = -5;

/** One core, or several a process may run on (load that shares the cores of two Workers). */
export type Cores = number | readonly number[];
/** Every core of the machine. */
export const ALL_CORES: readonly number[] = Array.from({ length: os.availableParallelism() }, (_, i) => i);
const coreList = (cores: Cores) => (typeof cores === 'number' ? String(cores) : cores.join(','));

/**
 * Pins every thread of a process to a core, or a set of cores (`taskset -a -p -c`),
 * and sets its priority. Pinning is skipped on one core; renice needs root and is
 * skipped without it.
 */
export function pinToCore(pid: number, core: Cores, nice = core === SUT_CORE ? SUT_NICE : LOAD_NICE): void {
  if (canPin) execFileSync('taskset', ['-a', '-p', '-c', coreList(core), String(pid)], { stdio: 'ignore' });
  raiseSessionPriority(pid);
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      execFileSync('renice', ['-n', String(nice), '-p', tid], { stdio: 'ignore' });
    }
  } catch {
    // Not root, or a thread exited meanwhile: priority is a nicety, not a requirement.
  }
}

/**
 * With the kernel's autogroup scheduling (sched_autogroup_enabled=1, the default),
 * CPU time is shared between sessions first and nice values only count inside a
 * session: a benchmark competing with other sessions' builds gets its session's
 * share whatever its processes' nice. Giving the benchmark's session (its
 * Worker, ffmpeg and sink alike) the SUT priority makes the nice above hold.
 */
function raiseSessionPriority(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(SUT_NICE));
  } catch {
    // No autogroup, or not root: as without it.
  }
}

/** Spawns a command already confined to a core (or cores), as a load generator (children inherit both). */
export function spawnOnCore(
  core: Cores,
  command: string,
  args: string[],
  options: SpawnOptions = {},
  nice = LOAD_NICE,
) {
  const child = canPin
    ? spawn('taskset', ['-c', coreList(core), command, ...args], options)
    : spawn(command, args, options);
  if (child.pid) pinToCore(child.pid, core, nice);
  return child;
}

/** Stops a child this benchmark started, by its pid, and waits for it to exit (bounded). */
export async function stopChild(child: ChildProcess, timeoutMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Rejects if `promise` takes longer than `ms`: every wait in a benchmark has a deadline. */
export async function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every `everyMs` until it returns true, at most `ms`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  everyMs = 50,
) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    if (await check()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms: ${what}`);
}

/** Receive-queue drops of our own UDP sockets (per socket, from /proc/net/udp), summed over `ports`. */
export function udpSocketDrops(ports: readonly number[]): number {
  const wanted = new Set(ports);
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local) continue;
    const port = Number.parseInt(local.split(':')[1] ?? '', 16);
    if (wanted.has(port)) drops += Number(fields.at(-1));
  }
  return drops;
}

/** CPU µs and parent pid of every process on the machine, from /proc/<pid>/stat. */
function processTable(): Map<number, { parent: number; cpuUs: number }> {
  const table = new Map<number, { parent: number; cpuUs: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpuUs = ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks;
      table.set(Number(entry), { parent: Number(fields[1]), cpuUs });
    } catch {
      // The process exited while we looked.
    }
  }
  return table;
}

/** This process and everything it started (workers, children, ffmpeg, Chromium, redis-server). */
function ourPids(table: Map<number, { parent: number }>): Set<number> {
  const ours = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { parent }] of table) {
      if (!ours.has(pid) && ours.has(parent)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  return ours;
}

/** Our descendant processes with this command name (e.g. a server a helper started for us). */
export function ourProcessesNamed(name: string): number[] {
  const ours = ourPids(processTable());
  return [...ours].filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
}

/**
 * Starts measuring the CPU used by every process that is NOT this benchmark's
 * (other jobs on a shared machine); `stop()` returns it in cores. Processes
 * that exit during the window are missed, so it is a lower bound.
 */
export function startBackgroundCpu(): () => number {
  const before = processTable();
  const wall0 = performance.now();
  return () => {
    const after = processTable();
    const ours = ourPids(after);
    for (const pid of ourPids(before)) ours.add(pid);
    let cpuUs = 0;
    for (const [pid, { cpuUs: now }] of after) {
      if (ours.has(pid)) continue;
      cpuUs += now - (before.get(pid)?.cpuUs ?? 0);
    }
    return cpuUs / ((performance.now() - wall0) * 1000);
  };
}

/**
 * The machine may be shared (other builds and test runs). Before a
 * measurement window, wait — within a total budget per benchmark — until
 * processes that are not ours use less than `maxCores`; every window also
 * records that background so noisy windows are visible in the report.
 */
export class QuietGate {
  readonly #maxCores: number;
  #budgetMs: number;
  waitedMs = 0;

  constructor(options: { maxCores?: number; budgetMs?: number } = {}) {
    this.#maxCores = options.maxCores ?? 0.25;
    this.#budgetMs = options.budgetMs ?? 60_000;
  }

  /** Waits until the background falls under the limit, or the budget runs out. Returns the last background. */
  async wait(): Promise<number> {
    for (;;) {
      const stop = startBackgroundCpu();
      await sleep(500);
      const background = stop();
      if (background < this.#maxCores || this.#budgetMs <= 0) return background;
      this.#budgetMs -= 500;
      this.waitedMs += 500;
    }
  }
}

/**
 * Where a process spends its CPU, by shared object (kernel, libc, the binary,
 * each library), from `perf record` sampling it for `seconds` (perf on
 * `core`). Undefined when perf is not installed or not permitted: profiles
 * explain a benchmark's numbers, they are never required for them.
 */
export function perfShareByDso(pid: number, seconds: number, core: number): Map<string, number> | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-perf-'));
  const data = path.join(dir, 'perf.data');
  try {
    const taskset = canPin ? ['taskset', '-c', String(core)] : [];
    const [command = 'perf', ...args] = [
      ...taskset,
      'perf',
      'record',
      '-q',
      '-F',
      '999',
      '-p',
      String(pid),
      '-o',
      data,
      '--',
      'sleep',
      String(seconds),
    ];
    execFileSync(command, args, { stdio: 'ignore', timeout: (seconds + 20) * 1000 });
    const report = execFileSync('perf', ['report', '-i', data, '--no-children', '--sort', 'dso', '--stdio'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    });
    const shares = new Map<string, number>();
    for (const line of report.split('\n')) {
      const match = /^\s+([\d.]+)%\s+(.+?)\s*$/.exec(line); // names may hold spaces: "[JIT] tid 123"
      if (match) shares.set(match[2] as string, Number(match[1]) / 100);
    }
    return shares.size ? shares : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

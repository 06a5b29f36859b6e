import { type ChildProcess, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { workerCacheRoot } from '@groupcall/sfu-worker/composition';
import { onProcessExit } from '@groupcall/testing';
import { type Cores, deadline, spawnOnCore, stopChild } from './proc.ts';

/** What reached the sink so far: media RTP, RTCP, the Worker's probation padding, and bytes. */
export interface SinkCounts {
  rtp: number;
  rtcp: number;
  probation: number;
  bytes: number;
  /** When the sink answered (performance.now()): rates are counts over the sink's own interval. */
  at: number;
}

/** Packets per second between two readings of the sink. */
export const sinkRate = (key: Exclude<keyof SinkCounts, 'at'>, from: SinkCounts, to: SinkCounts): number =>
  (to[key] - from[key]) / ((to.at - from.at) / 1000);

const SOURCE = new URL('../forwarding/udp-sink.c', import.meta.url).pathname;

/**
 * The consumers' far end: forwarding/udp-sink.c, compiled once with the
 * system's C compiler into the cache beside the clip (keyed by its source),
 * run as a load-generator process.
 */
export class UdpSink {
  readonly ports: number[];
  readonly #child: ChildProcess;
  readonly #lines: Interface;
  readonly #waiting: ((line: string) => void)[] = [];

  private constructor(child: ChildProcess, lines: Interface, ports: number[]) {
    this.#child = child;
    this.#lines = lines;
    this.ports = ports;
    lines.on('line', (line) => this.#waiting.shift()?.(line));
  }

  static async start(core: Cores): Promise<UdpSink> {
    const child = spawnOnCore(core, compiledSink(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const forget = onProcessExit(() => child.kill('SIGKILL'));
    child.once('exit', forget);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const first = await deadline(
      new Promise<string>((resolve) => lines.once('line', resolve)),
      10_000,
      'the UDP sink to open its sockets',
    );
    return new UdpSink(child, lines, first.split(' ').map(Number));
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  counts(): Promise<SinkCounts> {
    const line = new Promise<string>((resolve) => this.#waiting.push(resolve));
    this.#child.stdin?.write('\n');
    return deadline(line, 10_000, 'the UDP sink to answer').then((answer) => {
      const [rtp = 0, rtcp = 0, probation = 0, bytes = 0] = answer.split(' ').map(Number);
      return { rtp, rtcp, probation, bytes, at: performance.now() };
    });
  }

  async stop(): Promise<void> {
    this.#lines.close();
    await stopChild(this.#child);
  }
}

function compiledSink(): string {
  return compiledC(SOURCE, 'udp-sink');
}

/**
 * A benchmark tool written in C, compiled once with the system's C compiler
 * into the cache beside the clip, keyed by its source (and `libraries`, the
 * linker's arguments). `needs` names the packages those libraries come from,
 * for the error when linking fails.
 */
export function compiledC(source: string, name: string, libraries: string[] = [], needs?: string): string {
  const hash = createHash('sha256')
    .update(readFileSync(source))
    .update(libraries.join(' '))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(workerCacheRoot(), 'bench');
  const binary = path.join(dir, `${name}-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('cc', ['-O2', '-o', `${binary}.partial`, source, ...libraries], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (error) {
    // cc's own message (above, on stderr) says which; a missing library fails at the link, not the compile.
    const libs = needs ? `; it links ${libraries.join(' ')}, which needs ${needs}` : '';
    throw new Error(
      `compiling or linking ${source} failed (the benchmarks need a C compiler: apt-get install gcc${libs})`,
      { cause: error },
    );
  }
  renameSync(`${binary}.partial`, binary);
  return binary;
}

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fmt } from './stats.ts';

/**
 * What every benchmark hands back: a markdown section for docs/benchmarks.md
 * and the headline numbers (for the summary table and the console).
 * Run alone, a benchmark prints its section; `--out FILE` also writes the
 * result as JSON for run-all.ts.
 */
export interface BenchResult {
  id: string;
  title: string;
  /** Headline rows: metric, measured value, same-run baseline, ratio, published anchor. */
  headline: HeadlineRow[];
  /** The benchmark's full section (tables, method notes), without its heading. */
  markdown: string;
  /** What could not be measured, and why. */
  notMeasured: string[];
  seconds: number;
}

export interface HeadlineRow {
  metric: string;
  measured: string;
  baseline: string;
  ratio: string;
  anchor: string;
}

export function mdTable(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * A perf profile (shares by shared object) as a table of what the code does:
 * each shared object goes to the first group whose pattern matches it, and
 * each group's share is also given as CPU time per unit of work.
 */
export function profileTable(
  shares: Map<string, number>,
  groups: [string, RegExp][],
  columns: { share: string; perUnit: string },
  usPerUnit: number,
): string {
  const totals = new Map<string, number>();
  for (const [dso, share] of shares) {
    const group = groups.find(([, pattern]) => pattern.test(dso))?.[0] ?? 'other';
    totals.set(group, (totals.get(group) ?? 0) + share);
  }
  return mdTable(
    ['where', columns.share, columns.perUnit],
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .map(([group, share]) => [group, `${fmt(share * 100, 1)}%`, fmt(share * usPerUnit, 2)]),
  );
}

/** What a benchmark found, before the harness adds how long it took. */
export type BenchFindings = Omit<BenchResult, 'seconds' | 'notMeasured'> & { notMeasured?: string[] };

/** A benchmark's whole run: `main` measures; its findings are published with the time the run took. */
export async function runBenchmark(main: () => Promise<BenchFindings>): Promise<void> {
  const started = performance.now();
  const findings = await main();
  publish({
    ...findings,
    notMeasured: findings.notMeasured ?? [],
    seconds: (performance.now() - started) / 1000,
  });
}

/** Finishes a benchmark: prints the section and writes JSON when run by run-all. */
function publish(result: BenchResult): void {
  console.log(`\n### ${result.title}\n\n${result.markdown}\n`);
  if (result.notMeasured.length) console.log(`Not measured:\n- ${result.notMeasured.join('\n- ')}\n`);
  const out = process.argv.indexOf('--out');
  const file = out >= 0 ? process.argv[out + 1] : undefined;
  if (file) writeFileSync(file, JSON.stringify(result, null, 2));
}

function tryExec(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  memory: string;
  kernel: string;
  node: string;
  mediasoup: string;
  chromium: string;
  ffmpeg: string;
  redis: string;
}

export function machineInfo(mediasoupVersion: string): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: mhz ? `${model} (${Math.round(Number(mhz))} MHz)` : model,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    mediasoup: mediasoupVersion,
    chromium: tryExec('/usr/bin/chromium', ['--version'])?.split('\n').at(-1) ?? 'not found',
    ffmpeg: tryExec('ffmpeg', ['-version'])?.split('\n')[0]?.split(' ').slice(0, 3).join(' ') ?? 'not found',
    redis: tryExec('redis-server', ['--version'])?.split(' ').slice(0, 3).join(' ') ?? 'not found',
  };
}

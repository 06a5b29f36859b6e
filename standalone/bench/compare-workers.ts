import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cachedWorkerPath, readWorkerBuildRecord, workerCacheRoot } from '@groupcall/sfu-worker/composition';
import { type BenchResult, mdTable } from './harness/report.ts';

/**
 * Forwarding benchmark on several mediasoup versions, one after another in one
 * run, to choose the version by measurement (README, "mediasoup"):
 *
 *   node standalone/bench/compare-workers.ts 3.19.22 3.27.1
 *
 * Each version's npm package is installed outside the checkout
 * (<cache>/bench-mediasoup/<version>, scripts not run) and its worker comes from
 * the same cache the provisioning uses, built offline when missing
 * (build-worker-offline.sh: 7-9 minutes per version on 2 cores once OpenSSL and FlatBuffers are cached).
 * Prints the forwarding section of every version and a table of the headlines.
 */

const versions = process.argv.slice(2).filter((a) => /^\d+\.\d+\.\d+$/.test(a));
if (!versions.length) {
  console.error('usage: node standalone/bench/compare-workers.ts <mediasoup version>...');
  process.exit(2);
}

function packageDir(version: string): string {
  const prefix = path.join(workerCacheRoot(), 'bench-mediasoup', version);
  const dir = path.join(prefix, 'node_modules', 'mediasoup');
  if (!existsSync(path.join(dir, 'package.json'))) {
    console.log(`[compare-workers] installing mediasoup@${version} (npm, scripts not run) into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `mediasoup@${version}`,
      ],
      { stdio: 'inherit' },
    );
  }
  return dir;
}

function workerBinary(version: string, dir: string): string {
  const binary = cachedWorkerPath(process.env, version);
  if (!existsSync(binary)) {
    console.log(`[compare-workers] building the mediasoup ${version} worker offline`);
    const script = path.join(
      import.meta.dirname,
      '..',
      '..',
      'sfu-worker',
      'scripts',
      'build-worker-offline.sh',
    );
    execFileSync('bash', [script, dir, binary], { stdio: 'inherit' });
  }
  return binary;
}

function forwarding(dir: string, binary: string, out: string): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'forwarding.ts'), '--out', out], {
      stdio: 'inherit',
      env: { ...process.env, GROUPCALL_BENCH_MEDIASOUP_DIR: dir, MEDIASOUP_WORKER_BIN: binary },
    });
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(readFileSync(out, 'utf8')) as BenchResult)
        : reject(new Error(`exit ${code}`)),
    );
  });
}

const scratch = mkdtempSync(path.join(tmpdir(), 'compare-workers-'));
const rows: string[][] = [];
try {
  const prepared = versions.map((version) => {
    const dir = packageDir(version);
    return { version, dir, binary: workerBinary(version, dir) };
  });
  for (const { version, dir, binary } of prepared) {
    console.log(`\n=== forwarding on mediasoup ${version}`);
    const result = await forwarding(dir, binary, path.join(scratch, `${version}.json`));
    console.log(`\n#### mediasoup ${version}\n\n${result.markdown}\n`);
    const record = readWorkerBuildRecord(binary);
    const perPacket = result.headline[0];
    const consumers = result.headline[1];
    rows.push([
      version,
      `${record?.origin ?? '?'}; io_uring ${record?.ioUring ? 'yes' : 'no'}`,
      perPacket?.metric.replace(/^.*\((.*)\)$/, '$1') ?? '',
      perPacket?.measured ?? '',
      perPacket?.baseline ?? '',
      perPacket?.ratio ?? '',
      consumers?.measured ?? '',
    ]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`\nRun ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, one after another:\n`);
console.log(
  mdTable(
    [
      'mediasoup',
      'worker',
      'load',
      'Worker µs / forwarded pkt',
      'bare relay (same run)',
      'ratio',
      'consumers at 80% of a core',
    ],
    rows,
  ),
);

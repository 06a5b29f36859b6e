/**
 * Provisions the mediasoup-worker binary for the installed mediasoup version.
 *
 *   node sfu-worker/scripts/provision-worker.ts
 *
 * Order: MEDIASOUP_WORKER_BIN if set; else the cached binary; else mediasoup's
 * prebuilt download (when online; skipped with MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD=1);
 * else an offline build from the package's worker sources against Debian
 * libraries (see build-worker-offline.sh; about 15 minutes on 2 cores the first time),
 * cached outside the checkout. GROUPCALL_REBUILD_WORKER=1 ignores the cache and
 * builds again. GROUPCALL_PREFER_PREBUILT_WORKER=1 (the image build) tries the
 * download before a cached binary, so images get mediasoup's own build when it
 * can be downloaded. Next to the binary goes `<binary>.build.json` (where it
 * came from), which benchmarks report.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  cachedWorkerPath,
  mediasoupPackageDir,
  mediasoupVersion,
  resolveWorkerBinary,
  type WorkerBuildRecord,
} from '../src/media/worker-binary.ts';

const log = (message: string) => console.error(`[provision-worker] ${message}`);

/** mediasoup's prebuilt name: since 3.13 Linux builds are per kernel major (io_uring). */
function prebuiltTarName(version: string): string {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const kernel =
    process.platform === 'linux' && (major > 3 || minor >= 13) ? `-kernel${release().split('.')[0]}` : '';
  return `mediasoup-worker-${version}-${process.platform}-${process.arch}${kernel}.tgz`;
}

/** mediasoup's own check that a binary runs here: without MEDIASOUP_VERSION it exits with 41. */
function runsHere(binary: string): boolean {
  return spawnSync(binary, [], { env: {}, stdio: 'ignore', timeout: 10_000 }).status === 41;
}

async function downloadPrebuilt(target: string): Promise<boolean> {
  const version = mediasoupVersion();
  const tar = prebuiltTarName(version);
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    'https://github.com/versatica/mediasoup/releases/download';
  const url = `${base}/${version}/${tar}`;
  log(`trying mediasoup's prebuilt worker: ${url}`);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok || !response.body) {
      log(`prebuilt download answered ${response.status}`);
      return false;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'mediasoup-prebuilt-'));
    const extract = spawn('tar', ['xzf', '-', '-C', dir], { stdio: ['pipe', 'inherit', 'inherit'] });
    await pipeline(Readable.fromWeb(response.body as never), extract.stdin);
    await new Promise((resolve, reject) =>
      extract.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`tar exited ${code}`)))),
    );
    const binary = path.join(dir, 'mediasoup-worker');
    chmodSync(binary, 0o755);
    if (!runsHere(binary)) {
      rmSync(dir, { recursive: true, force: true });
      log('the prebuilt worker does not run on this machine; building offline');
      return false;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    const record: WorkerBuildRecord = {
      mediasoup: version,
      origin: 'mediasoup prebuilt',
      downloadedFrom: url,
      srtp: "mediasoup's own libsrtp build with OpenSSL, static",
    };
    writeFileSync(`${target}.build.json`, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(binary, target);
    rmSync(dir, { recursive: true, force: true });
    return true;
  } catch (error) {
    log(
      `prebuilt download unavailable (${(error as Error).cause ?? (error as Error).message}); building offline`,
    );
    return false;
  }
}

function buildOffline(target: string): void {
  const script = path.join(import.meta.dirname, 'build-worker-offline.sh');
  const result = spawnSync('bash', [script, mediasoupPackageDir(), target], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`offline worker build failed (exit ${result.status})`);
}

async function main(): Promise<void> {
  const rebuild = process.env.GROUPCALL_REBUILD_WORKER === '1';
  const skipDownload = Boolean(process.env.MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD);
  const target = cachedWorkerPath();
  const preferPrebuilt = !rebuild && !skipDownload && process.env.GROUPCALL_PREFER_PREBUILT_WORKER === '1';
  if (preferPrebuilt) {
    if (await downloadPrebuilt(target)) {
      log(`mediasoup ${mediasoupVersion()} prebuilt worker: ${target}`);
      return;
    }
  }
  const found = rebuild ? undefined : resolveWorkerBinary();
  if (found) {
    log(`mediasoup ${mediasoupVersion()} worker ready (${found.source}): ${found.path}`);
    return;
  }
  const started = Date.now();
  const downloaded = !rebuild && !skipDownload && !preferPrebuilt && (await downloadPrebuilt(target));
  if (!downloaded) buildOffline(target);
  log(`mediasoup worker provisioned in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
}

main().catch((error: Error) => {
  log(error.message);
  process.exit(1);
});

/**
 * Provisions the mediasoup-worker binary for the installed mediasoup version.
 *
 *   node sfu-worker/scripts/provision-worker.ts
 *
 * Order: MEDIASOUP_WORKER_BIN if set; else the cached binary; else mediasoup's
 * prebuilt download (when online; skipped with MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD=1);
 * else an offline build from the package's worker sources against Debian
 * libraries (about 5 minutes on 2 cores), cached outside the checkout.
 * GROUPCALL_REBUILD_WORKER=1 ignores the cache and builds again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  cachedWorkerPath,
  mediasoupPackageDir,
  mediasoupVersion,
  resolveWorkerBinary,
} from '../src/media/worker-binary.ts';

const log = (message: string) => console.error(`[provision-worker] ${message}`);

async function downloadPrebuilt(target: string): Promise<boolean> {
  const version = mediasoupVersion();
  const tar = `mediasoup-worker-${version}-${process.platform}-${process.arch}.tgz`;
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
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(path.join(dir, 'mediasoup-worker'), target);
    chmodSync(target, 0o755);
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
  const found = rebuild ? undefined : resolveWorkerBinary();
  if (found) {
    log(`mediasoup ${mediasoupVersion()} worker ready (${found.source}): ${found.path}`);
    return;
  }
  const target = cachedWorkerPath();
  const started = Date.now();
  const downloaded =
    !rebuild && !process.env.MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD && (await downloadPrebuilt(target));
  if (!downloaded) buildOffline(target);
  log(`mediasoup worker provisioned in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
}

main().catch((error: Error) => {
  log(error.message);
  process.exit(1);
});

import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where the mediasoup-worker binary comes from. One resolution order, used by
 * the provisioning script and by every process that starts mediasoup, so
 * servers, tests and benchmarks never need MEDIASOUP_WORKER_BIN set by hand:
 *
 *  1. MEDIASOUP_WORKER_BIN, when set (it must point at an executable);
 *  2. the provisioned cache: $GROUPCALL_CACHE_DIR, else $XDG_CACHE_HOME/groupcall,
 *     else ~/.cache/groupcall, then mediasoup-worker/<version>-<platform>-<arch>/;
 *  3. mediasoup's own location, where its postinstall puts a downloaded binary.
 */
export type WorkerBinarySource = 'env' | 'cache' | 'package';
export interface WorkerBinary {
  path: string;
  source: WorkerBinarySource;
}

type Env = Record<string, string | undefined>;

const require = createRequire(import.meta.url);

/**
 * Directory of the installed `mediasoup` npm package: the folder above its
 * entry point that holds its package.json (mediasoup >= 3.13 does not export
 * `mediasoup/package.json`).
 */
export function mediasoupPackageDir(): string {
  let dir = path.dirname(require.resolve('mediasoup'));
  while (!isMediasoupPackage(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the mediasoup package directory');
    dir = parent;
  }
  return dir;
}

function isMediasoupPackage(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'mediasoup';
  } catch {
    return false;
  }
}

export function mediasoupVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(mediasoupPackageDir(), 'package.json'), 'utf8'));
  return pkg.version as string;
}

export function workerCacheRoot(env: Env = process.env): string {
  if (env.GROUPCALL_CACHE_DIR) return env.GROUPCALL_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'groupcall');
}

/**
 * Revision of the offline build recipe, part of the cache key: raise it when
 * sfu-worker/scripts/build-worker-offline.sh builds a different binary for the
 * same mediasoup version, so caches made by the old recipe are not reused.
 * r2: libsrtp2 built from source with OpenSSL, statically (r1 linked Debian's NSS-backed libsrtp2).
 * r3: OpenSSL 3.5 built from source, statically, under DTLS and SRTP (r2 linked Debian 12's 3.0).
 */
export const WORKER_BUILD_REVISION = 'r3';

/** Cache path of the worker binary for the installed mediasoup version. */
export function cachedWorkerPath(env: Env = process.env, version = mediasoupVersion()): string {
  const key = `${version}-${process.platform}-${process.arch}-${WORKER_BUILD_REVISION}`;
  return path.join(workerCacheRoot(env), 'mediasoup-worker', key, 'mediasoup-worker');
}

/**
 * What the provisioning wrote next to a cached binary (`<binary>.build.json`):
 * where it came from and, for an offline build, what it was built with.
 */
export interface WorkerBuildRecord {
  mediasoup: string;
  origin: 'built here' | 'mediasoup prebuilt';
  srtp?: string;
  ioUring?: string | null;
  buildSeconds?: number;
  [key: string]: unknown;
}

export function readWorkerBuildRecord(binary: string): WorkerBuildRecord | undefined {
  try {
    return JSON.parse(readFileSync(`${binary}.build.json`, 'utf8')) as WorkerBuildRecord;
  } catch {
    return undefined;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveWorkerBinary(env: Env = process.env): WorkerBinary | undefined {
  if (env.MEDIASOUP_WORKER_BIN) {
    if (!isExecutable(env.MEDIASOUP_WORKER_BIN)) {
      throw new Error(`MEDIASOUP_WORKER_BIN=${env.MEDIASOUP_WORKER_BIN} is not an executable file`);
    }
    return { path: env.MEDIASOUP_WORKER_BIN, source: 'env' };
  }
  const cached = cachedWorkerPath(env);
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  const packaged = path.join(mediasoupPackageDir(), 'worker', 'out', 'Release', 'mediasoup-worker');
  if (isExecutable(packaged)) return { path: packaged, source: 'package' };
  return undefined;
}

/**
 * Loads mediasoup with its worker binary resolved. mediasoup reads
 * MEDIASOUP_WORKER_BIN once, when its Worker module loads, so the variable
 * is set before the (dynamic) import.
 */
export async function loadMediasoup(env: Env = process.env): Promise<typeof import('mediasoup')> {
  const binary = resolveWorkerBinary(env);
  if (!binary) {
    throw new Error(
      'No mediasoup-worker binary. Run `pnpm provision:worker` (or scripts/start, which does it) ' +
        'or set MEDIASOUP_WORKER_BIN.',
    );
  }
  process.env.MEDIASOUP_WORKER_BIN = binary.path;
  return import('mediasoup');
}

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** sfu-worker/worker-compat: the headers the offline worker build adds, and their C++ tests. */
export const compatDir = path.join(import.meta.dirname, '..', '..', 'worker-compat');
const buildScript = path.join(import.meta.dirname, '..', '..', 'scripts', 'build-worker-offline.sh');

/** Where the static libraries the offline worker build links were installed. */
export interface SrtpBuild {
  /** libsrtp2, OpenSSL-backed. */
  libsrtp2: string;
  /** The OpenSSL it is built on (static libcrypto and libssl). */
  openssl: string;
}

/**
 * The static, OpenSSL-backed libsrtp2 the offline worker build links, and its
 * OpenSSL, built by the build script itself (cached after the first run; the
 * first takes about 3 minutes on 2 cores, most of it OpenSSL).
 */
export function srtpBuild(): SrtpBuild {
  const lines = execFileSync('bash', [buildScript, '--libsrtp2'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n');
  return { libsrtp2: lines.at(-2) as string, openssl: lines.at(-1) as string };
}

/** Linker arguments for the static libsrtp2 and the OpenSSL libcrypto under it. */
export function srtpLinkArgs(build: SrtpBuild): string[] {
  return [
    path.join(build.libsrtp2, 'lib', 'libsrtp2.a'),
    path.join(build.openssl, 'lib', 'libcrypto.a'),
    '-ldl',
    '-pthread',
  ];
}

export interface CompiledRun {
  status: number | null;
  stdout: string;
}

/**
 * Compiles one C++ test from worker-compat/test with the flags mediasoup's
 * worker build uses (C++20, -O2, NDEBUG), runs it, returns its output.
 */
export function compileAndRun(source: string, args: string[]): CompiledRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'worker-compat-'));
  try {
    const binary = path.join(dir, 'test');
    execFileSync(
      'g++',
      [
        '-std=c++20',
        '-O2',
        '-DNDEBUG',
        '-Wall',
        '-Wextra',
        '-Werror',
        path.join(compatDir, 'test', source),
        ...args,
        '-o',
        binary,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const run = spawnSync(binary, { encoding: 'utf8', timeout: 120_000 });
    return { status: run.status, stdout: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

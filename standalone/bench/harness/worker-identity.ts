import { execFileSync } from 'node:child_process';
import { readWorkerBuildRecord, resolveWorkerBinary } from '@groupcall/sfu-worker/composition';

/**
 * Which mediasoup-worker a benchmark ran, as the machine table states it: read
 * from the binary itself (its libsrtp version string, whether its SRTP ciphers
 * are OpenSSL's, what it links) and from the provisioning's build record, never
 * written as fixed text.
 */
export interface WorkerIdentity {
  path: string;
  /** mediasoup version of the build record (the worker has no version of its own). */
  version: string;
  origin: string;
  srtp: string;
  openssl: string;
  ioUring: boolean;
  buildSeconds?: number;
  summary: string;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 << 20,
    });
  } catch {
    return '';
  }
}

function srtpOf(binary: string, strings: string): string {
  const linked = run('ldd', [binary]);
  const shared = /libsrtp2\.so\S*\s+=>\s+(\S+)/.exec(linked)?.[1];
  if (shared) {
    const libs = run('ldd', [shared]);
    const crypto = /libnss3/.test(libs) ? 'NSS' : /libcrypto/.test(libs) ? 'OpenSSL' : 'its own ciphers';
    const whose = shared.startsWith('/lib') || shared.startsWith('/usr/lib') ? "Debian's " : '';
    return `${whose}shared libsrtp2 (${shared}), crypto ${crypto}`;
  }
  const version = /\blibsrtp[23]? [\d.]+/.exec(strings)?.[0] ?? 'libsrtp';
  const crypto = /using openssl/i.test(strings)
    ? /libcrypto\.so/.test(linked)
      ? 'OpenSSL (shared libcrypto)'
      : 'OpenSSL (static)'
    : 'built-in ciphers';
  return `${version} linked statically, crypto ${crypto}`;
}

/** The OpenSSL under DTLS and SRTP: its version string when linked in, else the shared libssl it loads. */
function opensslOf(binary: string, strings: string): string {
  const shared = /libssl\.so\S*\s+=>\s+(\S+)/.exec(run('ldd', [binary]))?.[1];
  if (shared) return `shared libssl (${shared})`;
  const version = /\bOpenSSL \d+\.\d+\.\d+\S*/.exec(strings)?.[0];
  return version ? `${version} (static)` : 'unknown';
}

export function workerIdentity(): WorkerIdentity | undefined {
  const binary = resolveWorkerBinary();
  if (!binary) return undefined;
  const record = readWorkerBuildRecord(binary.path);
  const strings = run('strings', ['-n', '8', binary.path]);
  const srtp = srtpOf(binary.path, strings);
  const ioUring = /io_uring/.test(strings);
  const openssl = opensslOf(binary.path, strings);
  const version = record?.mediasoup ?? 'unknown version';
  const origin = record?.origin ?? (binary.source === 'package' ? 'mediasoup prebuilt' : 'unknown origin');
  const build = record?.buildSeconds ? `, built in ${Math.round(record.buildSeconds / 60)} min` : '';
  return {
    path: binary.path,
    version,
    origin,
    srtp,
    openssl,
    ioUring,
    buildSeconds: record?.buildSeconds,
    summary: `${version}, ${origin}${build}; SRTP: ${srtp}; DTLS: ${openssl}; io_uring ${ioUring ? 'compiled in' : 'not compiled in'}`,
  };
}

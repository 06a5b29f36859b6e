import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compatDir, compileAndRun, type SrtpBuild, srtpBuild, srtpLinkArgs } from './compile.ts';

// mediasoup-worker >= 3.13.17 calls versatica's libsrtp 3 API; the offline build
// links Debian's libsrtp 2 through worker-compat/libsrtp3-on-libsrtp2/srtp.h.
// The C++ test drives that header the way SrtpSession does, for every SRTP
// profile the worker offers, against a plain libsrtp 2 receiver too.
describe('libsrtp 3 API glue over libsrtp 2 (OpenSSL)', () => {
  let build: SrtpBuild;
  beforeAll(() => {
    build = srtpBuild();
  }, 900_000);

  const variants = [
    { name: 'policy struct (mediasoup 3.16-3.21)', defines: [] },
    { name: 'opaque policy object (mediasoup 3.22+)', defines: ['-DGROUPCALL_SRTP3_OPAQUE_POLICY=1'] },
  ];
  for (const variant of variants) {
    it(`protects and unprotects SRTP and SRTCP as libsrtp 3 would: ${variant.name}`, () => {
      const run = compileAndRun('libsrtp3-glue-test.cpp', [
        ...variant.defines,
        `-I${path.join(compatDir, 'libsrtp3-on-libsrtp2')}`,
        `-I${path.join(build.libsrtp2, 'include', 'srtp2')}`,
        `-I${path.join(build.openssl, 'include')}`,
        ...srtpLinkArgs(build),
      ]);
      expect(run.stdout).not.toContain('FAIL');
      expect(run.stdout).toMatch(/^libsrtp libsrtp2 2\./m);
      const checks = Number(/checks: (\d+) failed: 0/.exec(run.stdout)?.[1]);
      expect(checks).toBeGreaterThan(400);
      expect(run.status).toBe(0);
    }, 120_000);
  }
});

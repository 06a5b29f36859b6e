import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compatDir, compileAndRun } from './compile.ts';

// mediasoup-worker >= 3.21 includes ankerl/unordered_dense.h, which no Debian
// suite packages; worker-compat/unordered-dense-on-std stands in for it with the
// standard containers. The C++ test uses it in the shapes the worker does and
// times lookups (docs/benchmarks.md puts them beside the Worker's cost per packet).
describe('unordered_dense stand-in', () => {
  it('behaves as the maps and sets mediasoup uses, and its lookups cost tens of ns', () => {
    const run = compileAndRun('unordered-dense-standin-test.cpp', [
      `-I${path.join(compatDir, 'unordered-dense-on-std')}`,
    ]);
    expect(run.stdout).not.toContain('FAIL');
    expect(run.stdout).toContain('checks: 14 failed: 0');
    const timings = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as {
      nsPerLookup: Record<string, number>;
    };
    console.log(`unordered_dense stand-in, ns per lookup: ${JSON.stringify(timings.nsPerLookup)}`);
    // A lookup that took microseconds would show in the Worker's cost per packet.
    for (const ns of Object.values(timings.nsPerLookup)) expect(ns).toBeLessThan(1000);
    expect(run.status).toBe(0);
  }, 120_000);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canPin } from './proc.ts';

/** One function's share of the samples, by where it runs (kernel, the binary, a library). */
export interface SymbolShare {
  symbol: string;
  dso: string;
  kernel: boolean;
  /** Share of all samples taken in the function itself (not what it calls). */
  share: number;
}

/**
 * Where a process spends its CPU, from `perf record -g` sampling it: by shared
 * object, by function (self), and the kernel's time by the system call it
 * serves (inclusive: kernel stacks unwind reliably; user stacks of a binary
 * built without frame pointers do not, so user-space functions are self only).
 */
export interface PerfProfile {
  byDso: Map<string, number>;
  /** Every sampled function, most expensive first. */
  symbols: SymbolShare[];
  /** Kernel time under each system call (the call and everything the kernel does inside it, softirqs included). */
  syscalls: { syscall: string; share: number }[];
}

/**
 * Samples `pid` for `seconds` at 999 Hz with call chains (perf itself on
 * `core`). Undefined when perf is missing, not permitted or finds nothing:
 * profiles explain a benchmark's numbers, they are never required for them.
 */
export function perfProfile(pid: number, seconds: number, core: number): PerfProfile | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-perf-'));
  const data = path.join(dir, 'perf.data');
  try {
    const record = ['perf', 'record', '-q', '-g', '-F', '999', '-p', String(pid), '-o', data];
    const [command = 'perf', ...args] = [
      ...(canPin ? ['taskset', '-c', String(core)] : []),
      ...record,
      '--',
      'sleep',
      String(seconds),
    ];
    execFileSync(command, args, { stdio: 'ignore', timeout: (seconds + 20) * 1000 });
    const report = (args: string[]) =>
      execFileSync('perf', ['report', '-i', data, '--stdio', '-g', 'none', ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 64 << 20,
        timeout: 60_000,
      });
    const symbols: SymbolShare[] = [];
    // "  12.34%  mediasoup-worker  [.] RTC::Consumer::SendRtpPacket": names may hold spaces.
    for (const line of report(['--no-children', '--sort', 'dso,sym']).split('\n')) {
      const match = /^\s+([\d.]+)%\s+(.+?)\s+\[([k.])\]\s+(.*?)\s*$/.exec(line);
      if (!match) continue;
      const [, share, dso, where, symbol] = match as unknown as [string, string, string, string, string];
      symbols.push({ symbol, dso, kernel: where === 'k', share: Number(share) / 100 });
    }
    if (!symbols.length) return undefined;
    const byDso = new Map<string, number>();
    for (const s of symbols) byDso.set(s.dso, (byDso.get(s.dso) ?? 0) + s.share);
    // "  40.10%  0.20%  [k] __sys_sendmsg": children (inclusive) then self. A system call's entry
    // points nest (__x64_sys_sendmsg → __sys_sendmsg → ___sys_sendmsg) and which are inlined
    // depends on the kernel: the outermost one sampled, i.e. the largest share, is the call's.
    const syscalls = new Map<string, number>();
    for (const line of report(['--children', '--sort', 'sym']).split('\n')) {
      const match = /^\s+([\d.]+)%\s+[\d.]+%\s+\[k\]\s+(?:__x64_sys_|__do_sys_|__sys_|do_)(\w+?)\s*$/.exec(
        line,
      );
      if (!match) continue;
      const name = (match[2] as string).replace(/^sys_/, '');
      if (!SYSCALLS.has(name)) continue;
      syscalls.set(name, Math.max(syscalls.get(name) ?? 0, Number(match[1]) / 100));
    }
    return {
      byDso,
      symbols,
      syscalls: [...syscalls]
        .map(([syscall, share]) => ({ syscall, share }))
        .sort((a, b) => b.share - a.share),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The system calls a media forwarder makes, by the kernel's names for their entry points. */
const SYSCALLS = new Set([
  'sendmsg',
  'sendmmsg',
  'sendto',
  'recvmsg',
  'recvmmsg',
  'recvfrom',
  'epoll_wait',
  'epoll_pwait',
  'epoll_ctl',
  'read',
  'write',
  'writev',
  'io_uring_enter',
  'futex',
  'clock_gettime',
]);

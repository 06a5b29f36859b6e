import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { routerMediaCodecs } from '@groupcall/sfu-worker/composition';
import type { types } from 'mediasoup';
import { loadBenchMediasoup, loopbackListen } from './harness/bench-mediasoup.ts';
import { clipInfo, ensureClip, startReplay } from './harness/media-clip.ts';
import { forwardingTransport, replayedProducer, replayTarget } from './harness/plain-rtp.ts';
import { LOAD_CORE, pinToCore, SUT_CORE, sleep, stopChild, waitUntil } from './harness/proc.ts';
import { type BenchFindings, mdTable, runBenchmark } from './harness/report.ts';
import { fmt } from './harness/stats.ts';
import { producerPackets } from './harness/worker-counters.ts';

/**
 * Why a paused consumer costs CPU (benchmark 3): the Worker under valgrind's
 * callgrind (this VM has no hardware counters for `perf stat -e instructions`),
 * 4 replayed participants, 1000 paused consumers on 500 SRTP PlainTransports,
 * as forwarding.ts measures them. Instructions are counted for WINDOW_S seconds
 * after setup (callgrind_control --zero, then --dump) and attributed to
 * functions, inclusive of what they call.
 */

const PARTICIPANTS = 4;
const PAUSED = 1000;
const WINDOW_S = 15;

async function main(): Promise<BenchFindings> {
  pinToCore(process.pid, LOAD_CORE);
  const clip = ensureClip();
  const dir = mkdtempSync(path.join(tmpdir(), 'paused-callgrind-'));
  process.env.MEDIASOUP_USE_VALGRIND = 'true';
  process.env.MEDIASOUP_VALGRIND_OPTIONS = `--tool=callgrind --callgrind-out-file=${dir}/callgrind.out.%p --dump-instr=no --collect-atstart=yes`;
  const mediasoup = await loadBenchMediasoup();
  const listen = loopbackListen(mediasoup);
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  pinToCore(worker.pid, SUT_CORE);
  const router = await worker.createRouter({ mediaCodecs: routerMediaCodecs });
  const replays = [];
  const producers: types.Producer[] = [];
  try {
    for (let p = 0; p < PARTICIPANTS; p++) {
      const video = await replayedProducer(router, listen, 'video', p);
      const audio = await replayedProducer(router, listen, 'audio', p);
      producers.push(video.producer, audio.producer);
      replays.push(startReplay(clip, replayTarget(p, video.port, audio.port), LOAD_CORE));
    }
    await waitUntil(
      async () => (await producerPackets(producers)) > 200,
      60_000,
      'replayed RTP under callgrind',
    );
    const pausedPair = async (t: number) => {
      // To discard (port 9): paused consumers send no RTP; RTCP, if any, goes nowhere.
      const transport = await forwardingTransport(router, listen, 9);
      const from = (t % PARTICIPANTS) * 2;
      for (const producer of producers.slice(from, from + 2)) {
        await transport.consume({
          producerId: producer.id,
          rtpCapabilities: router.rtpCapabilities,
          paused: true,
        });
      }
    };
    // Batches of 50 requests in flight: callgrind makes each one slow.
    for (let t = 0; t < PAUSED / 2; t += 50) {
      await Promise.all(Array.from({ length: Math.min(50, PAUSED / 2 - t) }, (_, k) => pausedPair(t + k)));
    }
    await sleep(3000);
    const packets0 = await producerPackets(producers);
    execFileSync('callgrind_control', ['--zero', String(worker.pid)], { stdio: 'ignore', timeout: 60_000 });
    await sleep(WINDOW_S * 1000);
    execFileSync('callgrind_control', ['--dump', String(worker.pid)], { stdio: 'ignore', timeout: 120_000 });
    const packets = (await producerPackets(producers)) - packets0;
    const dump = readdirSync(dir)
      .filter((f) => /\.\d+$/.test(f) || /callgrind\.out\.\d+\.\d+/.test(f))
      .sort()
      .at(-1);
    if (!dump) throw new Error('callgrind wrote no dump');
    return report(path.join(dir, dump), packets);
  } finally {
    for (const replay of replays) await stopChild(replay);
    worker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface FunctionCost {
  name: string;
  inclusive: number;
  self: number;
}

function annotate(file: string): { total: number; functions: FunctionCost[] } {
  const read = (inclusive: boolean) =>
    execFileSync('callgrind_annotate', [`--inclusive=${inclusive ? 'yes' : 'no'}`, '--threshold=100', file], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      timeout: 120_000,
    });
  const parse = (text: string) => {
    const costs = new Map<string, number>();
    for (const line of text.split('\n')) {
      const match = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(?:\*\s+)?(.+?)\s*$/.exec(line);
      if (!match || !(match[2] as string).includes(':')) continue;
      // "file:function [object]": keep the function; name the object when the function has no symbol.
      const object = /\[([^\]]*)\]\s*$/.exec(match[2] as string)?.[1] ?? '';
      const fn = (match[2] as string).replace(/\s*\[[^\]]*\]\s*$/, '').replace(/^[^:]*:/, '');
      const name = fn.startsWith('0x') ? `${path.basename(object)} (no symbol)` : fn;
      costs.set(name, (costs.get(name) ?? 0) + Number((match[1] as string).replace(/,/g, '')));
    }
    return costs;
  };
  const summary = read(false);
  const total = Number(
    /([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS/.exec(summary)?.[1]?.replace(/,/g, '') ?? Number.NaN,
  );
  const self = parse(summary);
  const inclusive = parse(read(true));
  const functions = [...inclusive].map(([name, inc]) => ({
    name,
    inclusive: inc,
    self: self.get(name) ?? 0,
  }));
  return { total, functions };
}

function report(file: string, packets: number): BenchFindings {
  const { total, functions } = annotate(file);
  const share = (n: number) => `${fmt((n / total) * 100, 1)}%`;
  const short = (name: string) => (name.length > 110 ? `${name.slice(0, 107)}…` : name);
  const interesting = functions
    .filter((f) => /RTC::|Consumer|Router|Transport|Rtcp|RTCP|srtp|uv_|Timer|Handles::/.test(f.name))
    .sort((a, b) => b.inclusive - a.inclusive)
    .slice(0, 14);
  const selfTop = functions.sort((a, b) => b.self - a.self).slice(0, 10);
  const markdown = [
    `The Worker under callgrind (instructions, not time; no hardware counters in this VM) for ${WINDOW_S} s, with ` +
      `${PARTICIPANTS} replayed participants (${clipInfo.video}; ${clipInfo.audio}) and ${PAUSED} paused consumers on ` +
      `${PAUSED / 2} SRTP PlainTransports; ${fmt(packets)} RTP packets reached the producers in the window ` +
      `(callgrind slows the Worker, so fewer than in real time). ${fmt(total)} instructions in all.`,
    '',
    'Inclusive cost (the function and what it calls), by share of all instructions:',
    '',
    mdTable(
      ['function', 'inclusive', 'self'],
      interesting.map((f) => [`\`${short(f.name)}\``, share(f.inclusive), share(f.self)]),
    ),
    '',
    'Most instructions spent in the function itself:',
    '',
    mdTable(
      ['function', 'self'],
      selfTop.map((f) => [`\`${short(f.name)}\``, share(f.self)]),
    ),
  ].join('\n');
  return {
    id: 'paused-profile',
    title: 'Where paused consumers spend the Worker (callgrind)',
    headline: [],
    markdown,
  };
}

await runBenchmark(main);

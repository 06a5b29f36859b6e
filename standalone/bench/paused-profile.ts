import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { types } from 'mediasoup';
import type { LoopbackListen } from './harness/bench-mediasoup.ts';
import { ForwardingRig } from './harness/forwarding-rig.ts';
import { clipInfo, startReplay } from './harness/media-clip.ts';
import { forwardingTransport, replayedProducer, replayTarget } from './harness/plain-rtp.ts';
import { LOAD_CORE, SUT_CORE, sleep, startCpu, stopChild, waitUntil } from './harness/proc.ts';
import { type BenchFindings, mdTable, runBenchmark } from './harness/report.ts';
import { fmt } from './harness/stats.ts';
import { producerPackets } from './harness/worker-counters.ts';

/**
 * What a paused consumer costs, and why (benchmark 3). Two parts:
 *
 *  1. Worker CPU (real time, Worker pinned) with 1000 paused consumers of 4
 *     replayed participants in three layouts: one transport per (subscriber,
 *     participant), as forwarding.ts's layout comparison; the same without
 *     bandwidth estimation negotiated (no transport-cc, no REMB); and one
 *     transport per subscriber carrying all its consumers, as the SDK does (one
 *     receive transport per device) and forwarding.ts's ramp. The differences
 *     separate what a paused consumer costs from what its transport costs.
 *  2. The Worker under valgrind's callgrind (this VM has no hardware counters
 *     for `perf stat -e instructions`) in the first layout: instructions for
 *     WINDOW_S seconds (callgrind_control --zero, then --dump) by function,
 *     inclusive of what they call.
 */

const PARTICIPANTS = 4;
const PAUSED = 1000;
const WINDOW_S = 15;
const CPU_WINDOW_MS = 5000;
const SETTLE_MS = 2000;

interface Layout {
  label: string;
  /** Consumers per transport: 2 = one participant's audio + video; 8 = all four participants. */
  perTransport: number;
  bwe: boolean;
}

const LAYOUTS: Layout[] = [
  {
    label: "one transport per (subscriber, participant), as forwarding.ts's layout comparison",
    perTransport: 2,
    bwe: true,
  },
  { label: 'the same, without bandwidth estimation (no transport-cc, no REMB)', perTransport: 2, bwe: false },
  {
    label: 'one transport per subscriber (all 4 participants), as the SDK and forwarding.ts',
    perTransport: 8,
    bwe: true,
  },
];

/**
 * The router's capabilities without what makes mediasoup run a congestion
 * controller on a transport: transport-cc (or abs-send-time + REMB). With it,
 * every transport that carries a video consumer gets libwebrtc's pacer, which
 * wakes up every 5 ms whether its consumers are paused or not.
 */
function withoutBwe(caps: types.RtpCapabilities): types.RtpCapabilities {
  const bweExtensions = /transport-wide-cc|abs-send-time/;
  return {
    codecs: caps.codecs?.map((codec) => ({
      ...codec,
      rtcpFeedback: codec.rtcpFeedback?.filter((fb) => fb.type !== 'transport-cc' && fb.type !== 'goog-remb'),
    })),
    headerExtensions: caps.headerExtensions?.filter((ext) => !bweExtensions.test(ext.uri)),
  };
}

/** Paused consumers in one layout, to discard (port 9): paused consumers send no RTP. */
async function pausedConsumers(
  router: types.Router,
  listen: LoopbackListen,
  producers: readonly types.Producer[],
  layout: Layout,
): Promise<types.PlainTransport[]> {
  const rtpCapabilities = layout.bwe ? router.rtpCapabilities : withoutBwe(router.rtpCapabilities);
  const transportCount = PAUSED / layout.perTransport;
  const one = async (t: number) => {
    const transport = await forwardingTransport(router, listen, 9);
    const from = ((t * layout.perTransport) % producers.length) as number;
    const mine = Array.from(
      { length: layout.perTransport },
      (_, k) => producers[(from + k) % producers.length],
    );
    for (const producer of mine) {
      await transport.consume({ producerId: (producer as types.Producer).id, rtpCapabilities, paused: true });
    }
    return transport;
  };
  const transports: types.PlainTransport[] = [];
  // Batches of 50 requests in flight (callgrind makes each one slow).
  for (let t = 0; t < transportCount; t += 50) {
    const batch = Array.from({ length: Math.min(50, transportCount - t) }, (_, k) => one(t + k));
    transports.push(...(await Promise.all(batch)));
  }
  return transports;
}

interface LayoutCost {
  layout: Layout;
  transports: number;
  /** Worker CPU (share of a core) just before the layout was built: the same producers, no consumers. */
  idle: number;
  cores: number;
}

async function cpuByLayout(
  worker: types.Worker,
  router: types.Router,
  listen: LoopbackListen,
  producers: readonly types.Producer[],
): Promise<LayoutCost[]> {
  const window = async () => {
    await sleep(SETTLE_MS);
    const stop = startCpu(worker.pid);
    await sleep(CPU_WINDOW_MS);
    return stop().cores;
  };
  const costs: LayoutCost[] = [];
  // The replays' first seconds (ffmpeg starting, first keyframes) are not a baseline.
  await sleep(3 * SETTLE_MS);
  for (const layout of LAYOUTS) {
    // Each layout against its own baseline, taken right before it: the Worker's
    // cost without consumers drifts (replay start-up, the previous layout's closing).
    const idle = await window();
    console.log(`paused-profile: ${PAUSED} paused consumers, ${layout.label}`);
    const transports = await pausedConsumers(router, listen, producers, layout);
    costs.push({ layout, transports: transports.length, idle, cores: await window() });
    for (const transport of transports) transport.close();
  }
  return costs;
}

/** 4 replayed participants on a fresh Worker: their producers, and the replays to stop. */
/** PARTICIPANTS replayed participants on a new Worker of the rig, on the Worker's core. */
async function replayedCall(rig: ForwardingRig) {
  const { worker, router } = await rig.addRouter(SUT_CORE);
  const replays: ChildProcess[] = [];
  const producers: types.Producer[] = [];
  const close = async () => {
    for (const replay of replays) await stopChild(replay);
    worker.close();
  };
  try {
    for (let p = 0; p < PARTICIPANTS; p++) {
      const video = await replayedProducer(router, rig.listen, 'video', p);
      const audio = await replayedProducer(router, rig.listen, 'audio', p);
      producers.push(video.producer, audio.producer);
      replays.push(startReplay(rig.clip, replayTarget(p, video.port, audio.port), LOAD_CORE));
    }
    await waitUntil(async () => (await producerPackets(producers)) > 200, 60_000, 'replayed RTP');
  } catch (error) {
    await close();
    throw error;
  }
  return { worker, router, listen: rig.listen, producers, close };
}

async function measureCpuByLayout(rig: ForwardingRig) {
  const call = await replayedCall(rig);
  try {
    return await cpuByLayout(call.worker, call.router, call.listen, call.producers);
  } finally {
    await call.close();
  }
}

async function profileUnderCallgrind(rig: ForwardingRig) {
  const dir = mkdtempSync(path.join(tmpdir(), 'paused-callgrind-'));
  process.env.MEDIASOUP_USE_VALGRIND = 'true';
  process.env.MEDIASOUP_VALGRIND_OPTIONS = `--tool=callgrind --callgrind-out-file=${dir}/callgrind.out.%p --dump-instr=no --collect-atstart=yes`;
  const call = await replayedCall(rig).finally(() => {
    delete process.env.MEDIASOUP_USE_VALGRIND;
  });
  try {
    await pausedConsumers(call.router, call.listen, call.producers, LAYOUTS[0] as Layout);
    await sleep(3000);
    const packets0 = await producerPackets(call.producers);
    const pid = String(call.worker.pid);
    execFileSync('callgrind_control', ['--zero', pid], { stdio: 'ignore', timeout: 60_000 });
    await sleep(WINDOW_S * 1000);
    execFileSync('callgrind_control', ['--dump', pid], { stdio: 'ignore', timeout: 120_000 });
    const packets = (await producerPackets(call.producers)) - packets0;
    const dump = readdirSync(dir)
      .filter((f) => /\.\d+$/.test(f) || /callgrind\.out\.\d+\.\d+/.test(f))
      .sort()
      .at(-1);
    if (!dump) throw new Error('callgrind wrote no dump');
    return { ...annotate(path.join(dir, dump)), packets };
  } finally {
    await call.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<BenchFindings> {
  // The rig's sink stays idle: paused consumers send nothing.
  const rig = await ForwardingRig.start();
  try {
    const cpu = await measureCpuByLayout(rig);
    console.log('paused-profile: the Worker under callgrind');
    const profile = await profileUnderCallgrind(rig);
    return report(cpu, profile);
  } finally {
    await rig.close();
  }
}

interface FunctionCost {
  name: string;
  inclusive: number;
  self: number;
}

function annotate(file: string): { total: number; functions: FunctionCost[] } {
  const read = (inclusive: boolean) =>
    execFileSync(
      'callgrind_annotate',
      [`--inclusive=${inclusive ? 'yes' : 'no'}`, '--auto=no', '--threshold=100', file],
      {
        encoding: 'utf8',
        maxBuffer: 256 << 20,
        timeout: 120_000,
      },
    );
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

type CpuByLayout = Awaited<ReturnType<typeof cpuByLayout>>;
type Profile = Awaited<ReturnType<typeof profileUnderCallgrind>>;

function layoutTable(costs: CpuByLayout): string {
  return mdTable(
    [
      'layout',
      'transports',
      'Worker CPU without → with the paused consumers (% of core)',
      'µs/s per paused consumer',
      'µs/s per transport',
    ],
    costs.map((c) => [
      c.layout.label,
      c.transports,
      `${fmt(c.idle * 100, 2)} → ${fmt(c.cores * 100, 2)}`,
      fmt(((c.cores - c.idle) * 1e6) / PAUSED, 1),
      fmt(((c.cores - c.idle) * 1e6) / c.transports, 1),
    ]),
  );
}

function callgrindTables(profile: Profile): string {
  const { total, functions, packets } = profile;
  const share = (n: number) => `${fmt((n / total) * 100, 1)}%`;
  const short = (name: string) => (name.length > 110 ? `${name.slice(0, 107)}…` : name);
  const interesting = functions
    .filter((f) => /RTC::|Consumer|Router|Transport|Rtcp|RTCP|srtp|uv_|Timer|Handles::|webrtc::/.test(f.name))
    .sort((a, b) => b.inclusive - a.inclusive)
    .slice(0, 14);
  // Frames still on the stack when callgrind_control dumps (main, the event loop)
  // are charged the whole window as their own: they are not where time goes.
  const selfTop = [...functions]
    .filter((f) => f.self < total * 0.99)
    .sort((a, b) => b.self - a.self)
    .slice(0, 10);
  return [
    `The Worker under callgrind (instructions, not time; no hardware counters in this VM) for ${WINDOW_S} s, in ` +
      `the first layout above: ${PAUSED} paused consumers on ${PAUSED / 2} SRTP PlainTransports; ${fmt(packets)} RTP ` +
      `packets reached the producers in the window (callgrind slows the Worker, so fewer than in real time). ` +
      `${fmt(total)} instructions in all.`,
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
}

function report(cpu: CpuByLayout, profile: Profile): BenchFindings {
  const [bench, noBwe, product] = cpu as [LayoutCost, LayoutCost, LayoutCost];
  const perConsumer = (c: LayoutCost) => ((c.cores - c.idle) * 1e6) / PAUSED;
  const pacerPerTransport = ((perConsumer(bench) - perConsumer(noBwe)) * PAUSED) / bench.transports;
  const markdown = [
    `Worker CPU with ${PARTICIPANTS} replayed participants (${clipInfo.video}; ${clipInfo.audio}) and ${PAUSED} paused ` +
      `consumers of them, in three layouts, each measured over ${CPU_WINDOW_MS / 1000} s after ` +
      `${SETTLE_MS / 1000} s settling (Worker pinned to its core, SRTP PlainTransports sending nowhere):`,
    '',
    layoutTable(cpu),
    '',
    `Why, from the three layouts: a transport that carries a video consumer with transport-cc (or REMB) ` +
      `negotiated runs libwebrtc's congestion controller, whose pacer timer fires every 5 ms (200 times a second) ` +
      `whether its consumers are paused or not — ${fmt(pacerPerTransport, 1)} µs/s per transport here (first ` +
      `layout minus the second). Without it, the same ${bench.transports} transports still cost ` +
      `${fmt(perConsumer(noBwe), 1)} µs/s per paused consumer, which still holds each transport's own timers ` +
      `(RTCP reports). Laid out as the SDK does it (one receive transport per device, every consumer of that ` +
      `device on it: ${product.transports} transports), the same ${PAUSED} paused consumers cost ` +
      `${fmt(perConsumer(product), 1)} µs/s each instead of ${fmt(perConsumer(bench), 1)}: an upper bound for ` +
      `the consumer's own share, which is the Router handing it every packet of its producer and the consumer ` +
      `recording it as skipped (so its outgoing sequence numbers stay continuous when it resumes).`,
    '',
    callgrindTables(profile),
  ].join('\n');
  return {
    id: 'paused-profile',
    title: 'What a paused consumer costs, and why',
    headline: [
      {
        metric: `Paused consumer, one receive transport per device as the SDK (${PAUSED} paused on ${product.transports} transports)`,
        measured: `${fmt(perConsumer(product), 1)} µs/s each`,
        baseline: `one transport per (subscriber, participant): ${fmt(perConsumer(bench), 1)} µs/s`,
        ratio: fmt(perConsumer(product) / perConsumer(bench), 2),
        anchor: '—',
      },
    ],
    markdown,
  };
}

await runBenchmark(main);

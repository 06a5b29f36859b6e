import { type ChildProcess, execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { types } from 'mediasoup';
import { z } from 'zod';
import { ForwardingRig } from './harness/forwarding-rig.ts';
import { BenchChild } from './harness/ipc.ts';
import { clipInfo, startReplay } from './harness/media-clip.ts';
import { type PerfProfile, perfProfile, type SymbolShare } from './harness/perf-profile.ts';
import { forwardingTransport, replayedProducer, replayTarget, SRTP_SUITE } from './harness/plain-rtp.ts';
import {
  type CpuSample,
  canPin,
  LOAD_CORE,
  QuietGate,
  SUT_CORE,
  sleep,
  startBackgroundCpu,
  startCpu,
  stopChild,
  udpSocketDrops,
  waitUntil,
} from './harness/proc.ts';
import { type BenchFindings, type HeadlineRow, mdTable, runBenchmark } from './harness/report.ts';
import { cpuUsPer, fmt, linearFit, ratio } from './harness/stats.ts';
import { sinkRate } from './harness/udp-sink.ts';
import { producerPackets, workerCounts } from './harness/worker-counters.ts';
import { workerIdentity } from './harness/worker-identity.ts';

/**
 * Forwarding capacity of one mediasoup Worker (benchmark 1).
 *
 * PARTICIPANTS ffmpeg processes replay a pre-encoded VP8 + opus clip (`-c copy`,
 * real time, looping) into comedia PlainTransports: 2 producers each. Consumers
 * sit on PlainTransports with SRTP (every forwarded packet is encrypted, as on a
 * WebRtcTransport) that send to a UDP sink which counts packets.
 *
 * Consumers are laid out as the SDK lays them out: one receive transport per
 * subscriber (device) carrying its audio and video consumers of every
 * participant, so they come in groups of 2 × PARTICIPANTS. That is what the
 * product runs, and it matters beyond the consumers: every transport carrying a
 * video consumer with transport-cc runs libwebrtc's pacer timer every 5 ms
 * (paused-profile.ts), so the number of transports is a cost of its own. One
 * window in the same run repeats a load in the old layout, one transport per
 * (subscriber, participant) with that participant's audio and video (as a
 * client that opened a transport per remote tile would), to show what the
 * layout is worth.
 *
 *   node standalone/bench/forwarding.ts                 ramp in the SDK's layout
 *   node standalone/bench/forwarding.ts --layout pair   ramp in the per-(subscriber, participant) layout
 *
 * The Worker runs alone on SUT_CORE; ffmpeg, the sink and this controller share
 * LOAD_CORE. Worker CPU comes from /proc/<pid>/stat over fixed windows, so
 * nothing inside the Worker is instrumented.
 */

const PARTICIPANTS = 4;

/** How a subscriber's consumers sit on receive transports. */
type Layout = 'sdk' | 'pair';
const LAYOUTS: Record<Layout, { perTransport: number; name: string; short: string }> = {
  sdk: {
    perTransport: 2 * PARTICIPANTS,
    name:
      `one transport per subscriber carrying its audio and video consumers of all ${PARTICIPANTS} participants ` +
      '(as the SDK: one receive transport per device)',
    short: 'one transport per subscriber, as the SDK',
  },
  pair: {
    perTransport: 2,
    name: "one transport per (subscriber, participant) carrying that participant's audio and video consumers",
    short: 'one transport per (subscriber, participant)',
  },
};

const { values: options } = parseArgs({
  options: { layout: { type: 'string', default: 'sdk' }, out: { type: 'string' } },
});
/** The layout of the ramp and of every other window but the layout comparison. */
const LAYOUT: Layout = z.enum(['sdk', 'pair']).parse(options.layout);
const OTHER_LAYOUT: Layout = LAYOUT === 'sdk' ? 'pair' : 'sdk';

/**
 * Consumers at each ramp step (multiples of 2 × PARTICIPANTS, whole subscribers
 * in either layout); the ramp stops once the Worker is near its core.
 */
const RAMP = [0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2400];
/**
 * Past ~90% the Worker falls behind: packets queue and every channel request
 * (creating the next consumers) waits seconds. The curve is known by then.
 */
const STOP_AT_CORES = 0.85;
/** The profile and the SRTP-off window run at the last ramp step below this (in the 60–75 % range). */
const PROFILE_BELOW_CORES = 0.75;
/**
 * The layout comparison runs at the last ramp step below this: low enough that the
 * costlier per-(subscriber, participant) layout is still well below STOP_AT_CORES.
 */
const COMPARE_BELOW_CORES = 0.55;
const PAUSED_CONSUMERS = 1000;
const WINDOW_MS = 5000;
/** New video consumers forward from the next keyframe (≤ 1 s in the clip), then settle. */
const SETTLE_MS = 2000;
const BUDGET_MS = 150_000;

interface Participant {
  video: types.Producer;
  audio: types.Producer;
  /** The Worker's UDP ports receiving this participant's replay. */
  ports: number[];
  ffmpeg?: ChildProcess;
}

/** How the consumers of one window are set up. */
interface Setup {
  label: string;
  consumers: number;
  layout: Layout;
  paused: boolean;
  srtp: boolean;
}

interface Window extends Setup {
  transports: number;
  worker: CpuSample;
  sinkCores: number;
  /** CPU used on the machine by anything that is not this benchmark (a shared machine's noise), cores. */
  backgroundCores: number;
  /** RTP packets the Worker sent per second (its consumers' counters). */
  forwardedPps: number;
  /** RTP packets that reached the sink, and datagrams the kernel dropped at its full queues, per second. */
  deliveredPps: number;
  droppedPps: number;
  rtcpPps: number;
  /** RTP packets the producers received per second, and replayed packets the kernel dropped before the Worker read them. */
  ingestPps: number;
  ingestDroppedPps: number;
}

interface RelayWindow {
  consumersEquivalent: number;
  fanOut: number;
  /** perf at the Worker's profiled load, sampled after the CPU window: what the relay's kernel send costs. */
  profile?: PerfProfile;
  cpu: CpuSample;
  pps: number;
  backgroundCores: number;
}

const started = performance.now();
const overBudget = () => performance.now() - started > BUDGET_MS;
const usPerPacket = (w: { worker: CpuSample; forwardedPps: number }) =>
  cpuUsPer(w.worker.cores, w.forwardedPps);

async function main(): Promise<BenchFindings> {
  const rig = await ForwardingRig.start();
  const { clip, listen, sink } = rig;
  const sinkPorts = sink.ports;
  const { worker, router } = await rig.addRouter(SUT_CORE);
  const participants: Participant[] = [];
  const gate = new QuietGate({ budgetMs: 45_000 });
  const transports: types.PlainTransport[] = [];
  const consumers: types.Consumer[] = [];
  const windows: Window[] = [];

  /**
   * Adds transports until `setup.consumers` are subscribed (the ramp grows one
   * layout). Transport t goes to sink socket t % 4; in the per-pair layout it
   * carries participant t % PARTICIPANTS, in the SDK's every participant.
   */
  const subscribe = async (setup: Setup) => {
    const { perTransport } = LAYOUTS[setup.layout];
    const wanted = setup.consumers / perTransport;
    // Batches of 50 keep the Worker's channel busy without one huge burst.
    for (let first = transports.length; first < wanted; first += 50) {
      const batch = Array.from({ length: Math.min(50, wanted - first) }, async (_, k) => {
        const index = first + k;
        const from =
          setup.layout === 'sdk' ? participants : [participants[index % PARTICIPANTS] as Participant];
        const port = sinkPorts[index % sinkPorts.length] as number;
        const transport = await forwardingTransport(router, listen, port, setup.srtp);
        for (const producer of from.flatMap((p) => [p.video, p.audio])) {
          const consumer = await transport.consume({
            producerId: producer.id,
            rtpCapabilities: router.rtpCapabilities,
            paused: setup.paused,
          });
          consumers.push(consumer);
        }
        return transport;
      });
      transports.push(...(await Promise.all(batch)));
    }
  };
  const unsubscribeAll = () => {
    for (const transport of transports.splice(0)) transport.close();
    consumers.length = 0;
  };
  const measure = async (setup: Setup): Promise<Window> => {
    await subscribe(setup);
    await sleep(SETTLE_MS);
    await gate.wait();
    // The Worker's own counters say what it sent and received, whatever the sink (which may
    // lag on a busy machine and catch up later) counts; they are read just outside the CPU window.
    const count0 = await workerCounts(producersOf(participants), consumers);
    const sink0 = await sink.counts();
    const drops0 = udpSocketDrops(sinkPorts);
    const ingestDrops0 = udpSocketDrops(participants.flatMap((p) => p.ports));
    const stopWorker = startCpu(worker.pid);
    const stopSink = startCpu(sink.pid);
    const stopBackground = startBackgroundCpu();
    await sleep(WINDOW_MS);
    const cpu = stopWorker();
    const sinkCpu = stopSink();
    const backgroundCores = stopBackground();
    const drops1 = udpSocketDrops(sinkPorts);
    const ingestDrops1 = udpSocketDrops(participants.flatMap((p) => p.ports));
    const sink1 = await sink.counts();
    const count1 = await workerCounts(producersOf(participants), consumers);
    const perSecond = (n: number) => n / (cpu.wallUs / 1e6);
    const countSeconds = (count1.at - count0.at) / 1000;
    const window: Window = {
      ...setup,
      transports: transports.length,
      worker: cpu,
      sinkCores: sinkCpu.cores,
      backgroundCores,
      forwardedPps: (count1.sent - count0.sent) / countSeconds,
      deliveredPps: sinkRate('rtp', sink0, sink1),
      droppedPps: perSecond(drops1 - drops0),
      rtcpPps: sinkRate('rtcp', sink0, sink1),
      ingestPps: (count1.received - count0.received) / countSeconds,
      ingestDroppedPps: perSecond(ingestDrops1 - ingestDrops0),
    };
    console.log(
      `  ${setup.label.padEnd(32)} consumers=${String(setup.consumers).padStart(4)} transports=${String(window.transports).padStart(4)} ` +
        `worker=${fmt(cpu.cores * 100, 1).padStart(5)}% forwarded=${fmt(window.forwardedPps).padStart(7)} pkt/s ` +
        `µs/pkt=${fmt(usPerPacket(window), 2)} ingest=${fmt(window.ingestPps)} (dropped ${fmt(window.ingestDroppedPps)}) pkt/s sink=${fmt(sinkCpu.cores * 100)}% ` +
        `background=${fmt(backgroundCores * 100)}%`,
    );
    windows.push(window);
    return window;
  };

  try {
    // Producers, each participant fed by its own ffmpeg replay.
    for (let p = 0; p < PARTICIPANTS; p++) {
      const video = await replayedProducer(router, listen, 'video', p);
      const audio = await replayedProducer(router, listen, 'audio', p);
      participants.push({
        video: video.producer,
        audio: audio.producer,
        ports: [video.port, audio.port],
        ffmpeg: startReplay(clip, replayTarget(p, video.port, audio.port), LOAD_CORE),
      });
    }
    await waitUntil(
      async () => (await producerPackets(producersOf(participants))) > 50 * PARTICIPANTS,
      10_000,
      'replayed RTP to reach every producer',
    );

    console.log(`forwarding: ramping active consumers (SRTP, to the sink; ${LAYOUTS[LAYOUT].short})`);
    for (const count of RAMP) {
      if (overBudget()) break;
      const w = await measure({
        label: 'active',
        consumers: count,
        layout: LAYOUT,
        paused: false,
        srtp: true,
      });
      if (w.worker.cores >= STOP_AT_CORES) break;
    }
    const ramp = windows.slice();
    const loadedBelow = (cores: number) =>
      ramp.filter((w) => w.consumers > 0 && w.worker.cores < cores).at(-1)?.consumers ?? (RAMP[1] as number);
    // What SRTP costs, and where the time goes: at a load the Worker carries comfortably.
    const probe = loadedBelow(PROFILE_BELOW_CORES);
    unsubscribeAll();
    // Where the Worker's time goes at that load (perf, when installed): a window of its own,
    // because sampling costs the Worker a little.
    console.log(`forwarding: profiling the Worker at ${probe} consumers (${LAYOUTS[LAYOUT].short})`);
    await subscribe({ label: 'profile', consumers: probe, layout: LAYOUT, paused: false, srtp: true });
    await sleep(SETTLE_MS);
    const profile = perfProfile(worker.pid, WINDOW_MS / 1000, LOAD_CORE);
    unsubscribeAll();
    console.log(`forwarding: SRTP off at ${probe} consumers`);
    const plain = await measure({
      label: 'active, no SRTP',
      consumers: probe,
      layout: LAYOUT,
      paused: false,
      srtp: false,
    });
    unsubscribeAll();

    // What the layout is worth: the other layout, then this one again right after (the VM's
    // speed drifts over minutes, so the pair is measured back to back).
    const compareAt = loadedBelow(COMPARE_BELOW_CORES);
    console.log(`forwarding: layouts at ${compareAt} consumers`);
    const layouts: Window[] = [];
    for (const layout of [OTHER_LAYOUT, LAYOUT]) {
      layouts.push(
        await measure({
          label: `active, ${layout} layout`,
          consumers: compareAt,
          layout,
          paused: false,
          srtp: true,
        }),
      );
      unsubscribeAll();
    }

    console.log('forwarding: paused consumers');
    const idle = await measure({ label: 'none', consumers: 0, layout: LAYOUT, paused: false, srtp: true });
    const paused = await measure({
      label: 'paused',
      consumers: PAUSED_CONSUMERS,
      layout: LAYOUT,
      paused: true,
      srtp: true,
    });
    unsubscribeAll();

    // Baseline: the same replayed packets through a bare Node UDP relay, alone on the Worker's core.
    console.log('forwarding: bare Node UDP relay baseline');
    for (const p of participants) if (p.ffmpeg) await stopChild(p.ffmpeg);
    worker.close();
    // The relay repeats three of the Worker's loads: the layout comparison's, the profiled one
    // and the highest sustained one.
    const sustainedTop = ramp.filter((w) => w.consumers > 0 && w.worker.cores < STOP_AT_CORES).at(-1);
    const relayLevels = [...new Set([compareAt, probe, sustainedTop?.consumers ?? probe])].filter(
      (n) => n > 0,
    );
    const relay = await relayBaseline(clip, sinkPorts, relayLevels, probe);

    return report({ ramp, plain, layouts, idle, paused, relay, profile });
  } finally {
    for (const p of participants) if (p.ffmpeg) await stopChild(p.ffmpeg);
    await rig.close();
  }
}

const producersOf = (participants: Participant[]) => participants.flatMap((p) => [p.video, p.audio]);
const SRTP_PACKET_BYTES = 1200;

/**
 * The crypto of each SRTP suite, as `openssl speed` names it: an AEAD suite is
 * one pass of GCM (encryption and tag), the AES-CM suites a counter-mode pass
 * and an HMAC-SHA1 over the packet.
 */
const SRTP_SUITE_CRYPTO: Record<string, { name: string; args: string[] }[]> = {
  AEAD_AES_256_GCM: [{ name: 'AES-256-GCM', args: ['-evp', 'aes-256-gcm'] }],
  AEAD_AES_128_GCM: [{ name: 'AES-128-GCM', args: ['-evp', 'aes-128-gcm'] }],
  AES_CM_128_HMAC_SHA1_80: [
    { name: 'AES-128-CTR', args: ['-evp', 'aes-128-ctr'] },
    { name: 'HMAC-SHA1', args: ['-hmac', 'sha1'] },
  ],
};

/**
 * What the crypto of the suite the consumers use (SRTP_SUITE) costs per packet
 * through OpenSSL on this CPU, from `openssl speed` (about 1 s per part): the
 * floor an OpenSSL-backed libsrtp would approach. Undefined without openssl.
 */
function opensslSrtpFloor(): { name: string; us: number }[] | undefined {
  const perPacketUs = (args: string[]) => {
    const out = execFileSync(
      'openssl',
      ['speed', '-seconds', '1', '-bytes', String(SRTP_PACKET_BYTES), ...args],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 20_000,
      },
    );
    // Last line: "<name>   <N>k" (thousands of bytes per second).
    const kBytes = Number(/([\d.]+)k\s*$/.exec(out.trim())?.[1]);
    return (SRTP_PACKET_BYTES / (kBytes * 1000)) * 1e6;
  };
  try {
    return SRTP_SUITE_CRYPTO[SRTP_SUITE]?.map(({ name, args }) => ({ name, us: perPacketUs(args) }));
  } catch {
    return undefined;
  }
}

/** A profile's time per unit of work: kernel under sendmsg, the rest of the kernel, user space. */
function splitKernel(profile: PerfProfile, usPerUnit: number): [string, number][] {
  const kernel = profile.symbols.filter((s) => s.kernel).reduce((sum, s) => sum + s.share, 0);
  const send = profile.syscalls.filter((c) => /^send/.test(c.syscall)).reduce((sum, c) => sum + c.share, 0);
  return [
    ['kernel: send system calls (sendmsg, sendto; loopback delivery included)', send * usPerUnit],
    ['kernel: the rest', (kernel - send) * usPerUnit],
    ['user space: the process and its libraries', (1 - kernel) * usPerUnit],
  ];
}

/** What the code does for a forwarded packet, by function: the groups of the profile's first table. */
const PROFILE_GROUPS: [string, (s: SymbolShare) => boolean][] = [
  ['kernel (by system call in the next table)', (s) => s.kernel],
  [
    'SRTP: libsrtp and its OpenSSL crypto (linked into the Worker statically, or shared libraries)',
    (s) =>
      /srtp|softokn|freebl|nss|nspr|plds|plc4|libcrypto/.test(s.dso) ||
      /srtp|aes|gcm|ghash|evp_|ossl|openssl|crypto_|sha1|hmac/i.test(s.symbol),
  ],
  [
    'malloc / free (glibc, operator new / delete)',
    (s) =>
      /malloc|_int_|tcache|unlink_chunk|operator new|operator delete|^(__libc_|__GI___libc_)?c?free\b/.test(
        s.symbol,
      ),
  ],
  ['memcpy / memmove / memset', (s) => /mem(cpy|move|set|cmp)/.test(s.symbol)],
  [
    "libwebrtc in the Worker: transport-cc feedback, the pacer's timer, bandwidth estimation",
    (s) => /^webrtc::/.test(s.symbol),
  ],
  ['libuv: event loop, timers', (s) => /libuv/.test(s.dso) || /^uv_/.test(s.symbol)],
  [
    "mediasoup: routing, RTP header rewrite, RTCP, retransmission buffer, the Worker's own timers",
    (s) => /mediasoup-worker/.test(s.dso),
  ],
  ['libc: the rest (system call wrappers, locks)', (s) => /^libc[.-]/.test(s.dso)],
];

/** The profile as markdown: by what the code does, the kernel by system call, the top functions. */
function profileMarkdown(profile: PerfProfile, at: Window): string {
  const usPerPkt = usPerPacket(at);
  const totals = new Map<string, number>();
  for (const s of profile.symbols) {
    const group = PROFILE_GROUPS.find(([, test]) => test(s))?.[0] ?? 'other';
    totals.set(group, (totals.get(group) ?? 0) + s.share);
  }
  const share = (x: number) => `${fmt(x * 100, 1)}%`;
  const history = profile.symbols.find((s) => /^webrtc::SendTimeHistory::AddNewPacket/.test(s.symbol));
  const us = (x: number) => fmt(x * usPerPkt, 2);
  const kernel = profile.symbols.filter((s) => s.kernel).reduce((sum, s) => sum + s.share, 0);
  const underCalls = profile.syscalls.reduce((sum, c) => sum + c.share, 0);
  // A C++ name can be long and hold a `|`, which would split a markdown cell.
  const cell = (name: string) =>
    `\`${(name.length > 90 ? `${name.slice(0, 87)}…` : name).replace(/\|/g, '\\|')}\``;
  const byDso = [...profile.byDso]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([dso, x]) => `${dso} ${share(x)}`)
    .join(', ');
  return [
    `By shared object: ${byDso} (libsrtp and OpenSSL are inside mediasoup-worker when linked statically, ` +
      'hence the grouping by function):',
    '',
    mdTable(
      ['where', 'share of Worker CPU', '≈ µs / forwarded pkt'],
      [...totals].sort((a, b) => b[1] - a[1]).map(([group, x]) => [group, share(x), us(x)]),
    ),
    '',
    "The kernel's share by the system call it serves (inclusive: the call and what the kernel does " +
      'inside it; on loopback a send also delivers the datagram to the receiving socket, in a softirq ' +
      'charged to the sender):',
    '',
    mdTable(
      ['system call', 'share of Worker CPU', '≈ µs / forwarded pkt'],
      [
        ...profile.syscalls
          .filter((c) => c.share >= 0.001)
          .map((c) => [`\`${c.syscall}\``, share(c.share), us(c.share)]),
        [
          'kernel outside these calls (interrupts, scheduler, page faults)',
          share(kernel - underCalls),
          us(kernel - underCalls),
        ],
      ],
    ),
    '',
    'The 15 functions with the most samples of their own (not counting what they call):',
    '',
    mdTable(
      ['function', 'in', 'share of Worker CPU', '≈ µs / forwarded pkt'],
      profile.symbols
        .slice(0, 15)
        .map((s) => [cell(s.symbol), s.kernel ? 'kernel' : s.dso, share(s.share), us(s.share)]),
    ),
    ...(history && history.share >= 0.01
      ? [
          '',
          // Read in mediasoup's libwebrtc (transport_feedback_adapter.cc, send_time_history.cc).
          `\`${history.symbol}\` (${share(history.share)}) records every packet a transport sends in its ` +
            'transport-cc send history, a `std::map`. Feedback removes the packets it acknowledges; the sink ' +
            'sends none, so each history keeps 60 s of packets (`kSendTimeHistoryWindowMs`): here about ' +
            `${fmt((at.forwardedPps / at.transports) * 60)} per transport, where a browser's feedback every ` +
            "50–100 ms keeps it to a few hundred. Part of this share is the benchmark's, not the product's.",
        ]
      : []),
  ].join('\n');
}

/**
 * Each mediasoup producer's packets went to one transport per subscriber,
 * consumers / (2 × PARTICIPANTS) of them in either layout (the SDK's: one per
 * subscriber; per pair: one per subscriber of that participant); the relay
 * sends each packet to as many destinations.
 */
async function relayBaseline(
  clip: string,
  sinkPorts: number[],
  levels: number[],
  profileAt: number,
): Promise<RelayWindow[]> {
  const relay = await BenchChild.start(new URL('./forwarding/node-relay.ts', import.meta.url), {
    core: SUT_CORE,
  });
  const ports = await relay.call<number[]>('open', { inputs: PARTICIPANTS * 2, sinkPorts });
  const feeds = Array.from({ length: PARTICIPANTS }, (_, p) =>
    startReplay(clip, replayTarget(p, ports[2 * p] as number, ports[2 * p + 1] as number), LOAD_CORE),
  );
  const gate = new QuietGate({ budgetMs: 15_000 });
  const windows: RelayWindow[] = [];
  try {
    for (const consumers of levels) {
      const fanOut = consumers / (2 * PARTICIPANTS);
      await relay.call('setFanOut', fanOut);
      await sleep(SETTLE_MS);
      await gate.wait();
      const f0 = await relay.call<number>('forwarded');
      const stop = startCpu(relay.pid);
      const stopBackground = startBackgroundCpu();
      await sleep(WINDOW_MS);
      const cpu = stop();
      const backgroundCores = stopBackground();
      const f1 = await relay.call<number>('forwarded');
      const pps = (f1 - f0) / (cpu.wallUs / 1e6);
      console.log(
        `  relay, same fan-out as ${consumers} consumers: cpu=${fmt(cpu.cores * 100, 1)}% forwarded=${fmt(pps)} pkt/s ` +
          `µs/pkt=${fmt(cpuUsPer(cpu.cores, pps), 2)} background=${fmt(backgroundCores * 100)}%`,
      );
      // The same profile as the Worker's at that load, to compare their kernel sends.
      const profile =
        consumers === profileAt ? perfProfile(relay.pid, WINDOW_MS / 1000, LOAD_CORE) : undefined;
      windows.push({ consumersEquivalent: consumers, fanOut, cpu, pps, backgroundCores, profile });
    }
  } finally {
    for (const feed of feeds) await stopChild(feed);
    await relay.stop();
  }
  return windows;
}

function report(r: {
  ramp: Window[];
  plain: Window;
  /** The layout comparison: the other layout, then the ramp's, back to back at one load. */
  layouts: Window[];
  idle: Window;
  paused: Window;
  relay: RelayWindow[];
  profile: PerfProfile | undefined;
}): BenchFindings {
  const { ramp, plain, layouts, idle, paused, relay, profile } = r;
  const loaded = ramp.filter((w) => w.consumers > 0);
  // A saturated Worker queues packets and batches its work, so its points say little about
  // sustained operation: the fit and the headline use the steps below STOP_AT_CORES.
  const sustained = ramp.filter((w) => w.worker.cores < STOP_AT_CORES);
  const top = sustained.filter((w) => w.consumers > 0).at(-1) ?? (loaded.at(-1) as Window);
  // CPU (share of a core) against consumers and against packets/s: the slope is the marginal cost.
  const byConsumers = linearFit(
    sustained.map((w) => w.consumers),
    sustained.map((w) => w.worker.cores),
  );
  const byPackets = linearFit(
    sustained.map((w) => w.forwardedPps),
    sustained.map((w) => w.worker.cores),
  );
  const marginalUs = byPackets.slope * 1e6;
  const reached80 = ramp.find((w) => w.worker.cores >= 0.8);
  const consumersAt80 = (0.8 - byConsumers.intercept) / byConsumers.slope;
  const ppsPerConsumer = top.forwardedPps / top.consumers;
  const pausedDelta = paused.worker.cores - idle.worker.cores;
  const pausedUsEach = (pausedDelta * 1e6) / paused.consumers;
  const activeUsEach = byConsumers.slope * 1e6;

  const probeSrtp = loaded.find((w) => w.consumers === plain.consumers) as Window;
  const relayAt = (consumers: number) => relay.find((x) => x.consumersEquivalent === consumers);
  const relayUs = (x: RelayWindow | undefined) => (x ? cpuUsPer(x.cpu.cores, x.pps) : Number.NaN);
  const relayTop = relayAt(top.consumers) ?? relay.at(-1);
  const srtpUs = usPerPacket(probeSrtp) - usPerPacket(plain);
  const floor = opensslSrtpFloor();
  const identity = workerIdentity();
  const [other, same] = layouts as [Window, Window];
  const relayProbe = relayAt(probeSrtp.consumers);
  const relayProfile = relayProbe?.profile;
  const compareRelay = relayUs(relayAt(other.consumers));
  const layoutOf = (w: Window) => LAYOUTS[w.layout];
  const subscribers = (consumers: number) => consumers / (2 * PARTICIPANTS);

  const rampTable = mdTable(
    [
      'consumers',
      'transports',
      'Worker CPU (% of core)',
      'RTP pkt/s sent by the Worker',
      'reached the sink',
      'dropped at the sink',
      'Worker µs / forwarded pkt',
      'bare relay µs / pkt',
      'RTCP pkt/s',
      'ingest pkt/s',
      'sink CPU %',
      'background CPU %',
    ],
    ramp.map((w) => [
      w.worker.cores < STOP_AT_CORES ? w.consumers : `${w.consumers} †`,
      w.transports,
      fmt(w.worker.cores * 100, 1),
      fmt(w.forwardedPps),
      fmt(w.deliveredPps),
      fmt(w.droppedPps),
      w.consumers ? fmt(usPerPacket(w), 2) : '—',
      fmt(relayUs(relayAt(w.consumers)), 2),
      fmt(w.rtcpPps),
      fmt(w.ingestPps),
      fmt(w.sinkCores * 100),
      fmt(w.backgroundCores * 100),
    ]),
  );
  const layoutTable = mdTable(
    [
      'layout',
      'consumers',
      'transports',
      'Worker CPU %',
      'forwarded pkt/s',
      'Worker µs / pkt',
      'bare relay µs / pkt',
      'ratio',
      'RTCP pkt/s',
      'background CPU %',
    ],
    layouts.map((w) => [
      layoutOf(w).short + (w.layout === LAYOUT ? ' (as the ramp)' : ''),
      w.consumers,
      w.transports,
      fmt(w.worker.cores * 100, 1),
      fmt(w.forwardedPps),
      fmt(usPerPacket(w), 2),
      fmt(compareRelay, 2),
      ratio(usPerPacket(w), compareRelay),
      fmt(w.rtcpPps),
      fmt(w.backgroundCores * 100),
    ]),
  );
  const splitTable = mdTable(
    ['setup', 'consumers', 'Worker CPU %', 'forwarded pkt/s', 'µs / pkt'],
    [probeSrtp, plain].map((w) => [
      w === probeSrtp ? 'SRTP, to the sink (as in the ramp)' : w.label,
      w.consumers,
      fmt(w.worker.cores * 100, 1),
      fmt(w.forwardedPps),
      fmt(usPerPacket(w), 2),
    ]),
  );
  const relayTable = mdTable(
    [
      'same fan-out as',
      'destinations per packet (one per subscriber)',
      'relay CPU (% of core)',
      'forwarded pkt/s',
      'relay µs / pkt',
      'background CPU %',
    ],
    relay.map((x) => [
      `${x.consumersEquivalent} consumers`,
      x.fanOut,
      fmt(x.cpu.cores * 100, 1),
      fmt(x.pps),
      fmt(relayUs(x), 2),
      fmt(x.backgroundCores * 100),
    ]),
  );
  const how80 = reached80
    ? `measured: the ramp reached ${fmt(reached80.worker.cores * 100)}% at ${reached80.consumers} consumers; the number is read off the linear fit of the steps below ${STOP_AT_CORES * 100}%`
    : `**extrapolated** from the linear fit: the ramp stopped at ${top.consumers} consumers (${fmt(top.worker.cores * 100)}% of the core)`;
  const sdk = layouts.find((w) => w.layout === 'sdk') as Window;
  const pair = layouts.find((w) => w.layout === 'pair') as Window;
  const layoutSavingUs = usPerPacket(pair) - usPerPacket(sdk);

  const headline: HeadlineRow[] = [
    {
      metric: `Worker CPU per forwarded packet (SRTP, ${LAYOUTS[LAYOUT].short}; at ${top.consumers} consumers, ${fmt(top.worker.cores * 100)}% CPU)`,
      measured: `${fmt(usPerPacket(top), 2)} µs (marginal ${fmt(marginalUs, 2)} µs)`,
      baseline: `bare Node UDP relay ${fmt(relayUs(relayTop), 2)} µs`,
      ratio: ratio(usPerPacket(top), relayUs(relayTop)),
      anchor: 'LiveKit: 13–26 µs / pkt',
    },
    {
      metric: `Consumers per Worker at 80% of one core (${LAYOUTS[LAYOUT].short})`,
      measured: `${fmt(consumersAt80)} (${reached80 ? 'measured' : 'extrapolated'}; ${fmt(ppsPerConsumer)} pkt/s per consumer)`,
      baseline: '—',
      ratio: `${ratio(consumersAt80, 500)} the anchor`,
      anchor: 'mediasoup docs: ~500 consumers / Worker',
    },
    {
      metric: 'RTP packets/s forwarded per Worker at 80% of one core',
      measured: fmt(consumersAt80 * ppsPerConsumer),
      baseline: `bare relay ${fmt((0.8 * 1e6) / relayUs(relayTop))}`,
      ratio: ratio(consumersAt80 * ppsPerConsumer, (0.8 * 1e6) / relayUs(relayTop)),
      anchor: '—',
    },
    {
      metric: `Worker CPU per forwarded packet, ${LAYOUTS[OTHER_LAYOUT].short} instead (SRTP; at ${other.consumers} consumers, ${other.transports} transports, ${fmt(other.worker.cores * 100)}% CPU)`,
      measured: `${fmt(usPerPacket(other), 2)} µs (${LAYOUTS[LAYOUT].short}, right after: ${fmt(usPerPacket(same), 2)} µs)`,
      baseline: `bare Node UDP relay ${fmt(compareRelay, 2)} µs`,
      ratio: ratio(usPerPacket(other), compareRelay),
      anchor: '—',
    },
    {
      metric: `Paused consumers (${paused.consumers} paused vs none; ${paused.transports} transports, ${LAYOUTS[LAYOUT].short})`,
      measured: `+${fmt(pausedDelta * 100, 2)}% of a core, ${fmt(pausedUsEach, 1)} µs/s each`,
      baseline: `active consumer ${fmt(activeUsEach)} µs/s`,
      ratio: ratio(pausedUsEach, activeUsEach, 3),
      anchor: '—',
    },
  ];

  const markdown = [
    `Setup: ${PARTICIPANTS} replayed participants (${clipInfo.video}; ${clipInfo.audio}), 2 producers each on ` +
      `comedia PlainTransports. Consumers on PlainTransports with SRTP (${SRTP_SUITE}), laid out ` +
      `${LAYOUTS[LAYOUT].name}, so a ramp step of N consumers is N / ${2 * PARTICIPANTS} subscribers on ` +
      `N / ${LAYOUTS[LAYOUT].perTransport} transports, sending to a 4-socket UDP sink (a small C program reading ` +
      "with recvmmsg; it counts the Worker's bandwidth-probation padding apart from media RTP). " +
      (LAYOUT === 'sdk'
        ? "This is the layout the product runs, hence the headline: the SDK opens one receive transport per device and puts every consumer on it. The number of transports is a cost of its own: each one carrying a video consumer with transport-cc negotiated (the router's capabilities, as a browser offers them) runs libwebrtc's congestion controller, whose pacer timer fires every 5 ms whether the transport forwards or not (see 'What a paused consumer costs'). "
        : `Run with \`--layout pair\`: not the layout the product runs (the SDK opens one receive transport per device). `) +
      `Worker ${canPin ? `pinned to core ${SUT_CORE}` : 'not pinned (one core)'}; ` +
      `ffmpeg, sink and controller on core ${LOAD_CORE}. ${WINDOW_MS / 1000} s windows after ${SETTLE_MS / 1000} s settling. ` +
      "Worker CPU = utime + stime of its pid (/proc). Packets sent and received = the Worker's own consumer and " +
      "producer counters (getStats, read just before and after each window); the sink's count and the kernel's drops at " +
      'its full queues (per-socket, /proc/net/udp) are shown beside them. Background = CPU used by processes that ' +
      'are not this benchmark (other jobs on a shared machine). On loopback the kernel delivers each datagram to the ' +
      "receiving socket inside the sender's sendto(), so the receive path is charged to the Worker (and to the relay).",
    '',
    rampTable,
    '',
    `† at or above ${STOP_AT_CORES * 100}% of the core the Worker starts to queue and batch: shown, not used in the fit or the headline.`,
    '',
    `Linear fit: Worker CPU = ${fmt(byConsumers.intercept * 100, 2)}% + ${fmt(activeUsEach)} µs/s per consumer ` +
      `(r² = ${fmt(byConsumers.r2, 3)}); against packets: ${fmt(marginalUs, 2)} µs per forwarded packet (marginal). ` +
      `Consumers at 80% of one core: **${fmt(consumersAt80)}** — ${how80}. ` +
      `Mix: ${fmt(ppsPerConsumer)} pkt/s per consumer (half opus at 50 pkt/s, half VP8).`,
    '',
    `The layout, same run: the same ${other.consumers} consumers (${subscribers(other.consumers)} subscribers) ` +
      `${LAYOUTS[OTHER_LAYOUT].name}, then, right after, ${LAYOUTS[LAYOUT].short} again, each against the bare ` +
      `relay at the same fan-out. One transport per (subscriber, participant) has ${fmt(pair.transports / sdk.transports, 0)}× ` +
      `the transports and costs ${fmt(layoutSavingUs, 2)} µs more per forwarded packet ` +
      `(${fmt((pair.worker.cores - sdk.worker.cores) * 100, 1)}% of the core at this load, ` +
      `${fmt(((pair.worker.cores - sdk.worker.cores) * 1e6) / Math.max(1, pair.transports - sdk.transports), 1)} µs/s per extra transport): ` +
      "what each transport's own work costs: its congestion controller's pacer timer every 5 ms, its RTCP " +
      "reports (see 'What a paused consumer costs').",
    '',
    layoutTable,
    '',
    `SRTP: the same ${probeSrtp.consumers} consumers without SRTP cost ${fmt(usPerPacket(plain), 2)} µs/pkt, so SRTP ` +
      `protect is ≈ ${fmt(srtpUs, 2)} µs of the ${fmt(usPerPacket(probeSrtp), 2)} µs per packet ` +
      `(this Worker's SRTP: ${identity?.srtp ?? 'unknown'}).` +
      (floor
        ? ` The same crypto through OpenSSL on this CPU (\`openssl speed\`, ${SRTP_PACKET_BYTES}-byte packets): ` +
          `${floor.map((part) => `${part.name} ${fmt(part.us, 2)} µs`).join(' + ')} per packet (the consumers' suite, ${SRTP_SUITE}).`
        : ''),
    '',
    splitTable,
    '',
    ...(profile && relayProfile
      ? [
          `Beside the bare relay at the same load (${probeSrtp.consumers} consumers; the relay profiled the same way ` +
            'right after its own CPU window), per forwarded packet: how much of the difference is the ' +
            "kernel's send and how much is work the Worker does in user space:",
          '',
          mdTable(
            ['µs per forwarded packet', `Worker (${LAYOUTS[LAYOUT].short})`, 'bare Node relay'],
            [
              ['all', fmt(usPerPacket(probeSrtp), 2), fmt(relayUs(relayProbe), 2)],
              ...splitKernel(profile, usPerPacket(probeSrtp)).map(([what, us], i) => [
                what,
                fmt(us, 2),
                fmt((splitKernel(relayProfile, relayUs(relayProbe))[i] as [string, number])[1], 2),
              ]),
            ],
          ),
          '',
          `The Worker sends from one socket per transport (${probeSrtp.transports} here) and the relay from one ` +
            'socket; both send to the same 4 sink sockets.',
          '',
        ]
      : []),
    ...(profile
      ? [
          `Where the Worker's CPU goes at ${probeSrtp.consumers} consumers, ${LAYOUTS[LAYOUT].short} (perf, ` +
            `${WINDOW_MS / 1000} s at 999 Hz with call chains, a window of its own; by function, grouped by what ` +
            `it does; µs are shares of the ${fmt(usPerPacket(probeSrtp), 2)} µs per packet measured at this load above):`,
          '',
          profileMarkdown(profile, probeSrtp),
          '',
        ]
      : []),
    `Paused consumers: ${paused.consumers} paused consumers on ${paused.transports} SRTP transports ` +
      `(${LAYOUTS[LAYOUT].short}) kept the Worker at ` +
      `${fmt(paused.worker.cores * 100, 2)}% vs ${fmt(idle.worker.cores * 100, 2)}% with none (same producers): ` +
      `${fmt(pausedUsEach, 1)} µs of CPU per second per paused consumer, ` +
      `${fmt((pausedUsEach / activeUsEach) * 100, 1)}% of an active one; ${fmt(paused.rtcpPps)} RTCP pkt/s reached the sink.`,
    '',
    'Baseline, same core, same replayed packets, same destinations per packet (one per subscriber, as the ' +
      "Worker's transports): a bare Node UDP relay (no header rewrite, no SRTP, no RTCP, one `send()` per destination):",
    '',
    relayTable,
  ].join('\n');

  return {
    id: 'forwarding',
    title: 'Forwarding capacity per mediasoup Worker',
    headline,
    markdown,
    notMeasured: reached80
      ? []
      : [
          `Forwarding: the Worker did not reach 80% of its core within the ramp; consumers at 80% are extrapolated from the fit.`,
        ],
  };
}

await runBenchmark(main);

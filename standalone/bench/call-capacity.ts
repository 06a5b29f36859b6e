import { parseArgs } from 'node:util';
import {
  ALL_VIDEO,
  AllVideoCall,
  type CallWorkload,
  type LegCounts,
  RECEIVE_BITRATE,
} from './call-capacity/all-video-call.ts';
import {
  type GridRates,
  gridRates,
  gridSetup,
  gridWorkload,
  offLayer,
  senderPps,
  startGridReplay,
  THUMBNAIL_HEIGHT,
  THUMBNAIL_LAYER,
} from './call-capacity/grid-call.ts';
import { FanoutReplay } from './harness/fanout-replay.ts';
import { ForwardingRig } from './harness/forwarding-rig.ts';
import { clipInfo } from './harness/media-clip.ts';
import { SRTP_SUITE } from './harness/plain-rtp.ts';
import {
  ALL_CORES,
  type Cores,
  canPin,
  LOAD_CORE,
  pinToCore,
  QuietGate,
  SUT_CORE,
  sleep,
  startBackgroundCpu,
  startCpu,
  udpSocketDrops,
  waitUntil,
} from './harness/proc.ts';
import { type BenchFindings, type HeadlineRow, mdTable, runBenchmark } from './harness/report.ts';
import { cpuUsPer, fmt, ratio } from './harness/stats.ts';
import { sinkRate } from './harness/udp-sink.ts';
import { producerPackets } from './harness/worker-counters.ts';

/**
 * The largest all-video call (benchmark 2), without browsers, on one Worker
 * and split over the pod's two Workers, in one run: first the worst case
 * below, then the grid call as the SDK runs it (call-capacity/grid-call.ts:
 * simulcast cameras seen as thumbnails, K talkers, the other mics silent
 * with DTX, and dynacast: senders send only the layers anybody watches), on
 * the same Workers, sink and limits.
 *
 * Every participant sends the replayed clip (VP8 + opus) into 2 comedia
 * PlainTransport producers and receives every other participant through one
 * SRTP PlainTransport of its own (as the SDK's one receive transport per
 * device), carrying every other participant's audio and video consumer, to a
 * counting UDP sink (call-capacity/all-video-call.ts; its outgoing bitrate
 * estimate starts at 100 Mbit/s as a browser's feedback would raise it:
 * call-capacity/receive-transport.ts).
 * The call grows until it loses packets (≥ 1 %) or a Worker passes 80 % of its
 * core. Loss = packets the call should have delivered (what its producers
 * received × the other participants) that did not reach the sink.
 *
 *   node standalone/bench/call-capacity.ts                  every ramp
 *   node standalone/bench/call-capacity.ts --only two --from 20 --to 24
 *   node standalone/bench/call-capacity.ts --workload grid --talkers 3
 *   node standalone/bench/call-capacity.ts --workload grid --no-dynacast
 *
 * --only one|two runs one Worker count; --workload all-video|grid one workload;
 * --from N starts the 2-Worker ramps at N (default: that workload's one-Worker
 * largest fit); --to N ends every ramp at N participants; --talkers K (default
 * 2) is how many participants of the grid call talk; --no-dynacast runs the
 * grid call as before the product had dynacast (every sender sends all three
 * layers whatever its subscribers watch), to compare.
 */

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    workload: { type: 'string' },
    talkers: { type: 'string' },
    'no-dynacast': { type: 'boolean' },
  },
});
const DYNACAST = !options['no-dynacast'];
const TALKERS = Number(options.talkers ?? 2);
const START_PARTICIPANTS = 10;
const MAX_PARTICIPANTS = Number(options.to ?? 80);
const MAX_LOSS = 0.01;
const MAX_CPU = 0.8;
const WINDOW_MS = 5000;
const SETTLE_MS = 2000;
/** Per ramp: all four (two workloads, one and two Workers) fit in run-all's deadline. */
const RAMP_BUDGET_MS = 300_000;

/** One Worker's share of a measured call size. */
interface WorkerSample {
  cores: number;
  /** RTP the Worker's consumers sent to subscribers, and what it sent through pipes to the other Worker, pkt/s. */
  forwardedPps: number;
  pipedPps: number;
  participants: number;
}

interface Step {
  workers: WorkerSample[];
  /** Grid call: video consumers not forwarding the thumbnail layer when measured. */
  offLayer: number;
  /** Grid call: times video consumers changed layers during the window. */
  layerChanges: number;
  participants: number;
  consumers: number;
  expectedPps: number;
  deliveredPps: number;
  /** Datagrams the kernel dropped at the sink's full queues (the generator's failure, not a Worker's). */
  sinkDroppedPps: number;
  probationPps: number;
  loss: number;
  ingestPps: number;
  ingestDroppedPps: number;
  sinkCores: number;
  /** The replay (one ffmpeg and the fan-out process) and this controller. */
  generatorCores: number;
  backgroundCores: number;
  fits: boolean;
}

/** What a ramp's call carries. */
interface Workload {
  id: 'all-video' | 'grid';
  call: CallWorkload;
  /** Video consumers not on the layer they should forward (grid call), else none. */
  offLayer(consumers: readonly import('mediasoup').types.Consumer[]): number;
}

/** How a ramp runs: its Workers' cores, and where the load generator goes. */
interface RampPlan {
  label: string;
  workload: Workload;
  workerCores: number[];
  loadCores: Cores;
  start: number;
}

const sentPerSecond = (w: WorkerSample) => w.forwardedPps + w.pipedPps;
const usPerSent = (w: WorkerSample) => cpuUsPer(w.cores, sentPerSecond(w));
const busiest = (s: Step) => Math.max(...s.workers.map((w) => w.cores));

/** The four ramps of a run, each workload on one Worker and over two. */
interface Ramps {
  one: Step[];
  two: Step[];
  gridOne: Step[];
  gridTwo: Step[];
}

async function main(): Promise<BenchFindings> {
  const rig = await ForwardingRig.start();
  const gate = new QuietGate({ budgetMs: 40_000 });
  const runs = (workload: Workload['id'], workers: 'one' | 'two') =>
    (!options.workload || options.workload === workload) && (!options.only || options.only === workers);
  const allVideo: Workload = { id: 'all-video', call: ALL_VIDEO, offLayer: () => 0 };
  const grid: Workload = { id: 'grid', call: gridWorkload(TALKERS, DYNACAST), offLayer };
  try {
    let replay = await FanoutReplay.start(rig.clip, LOAD_CORE);
    const one = runs('all-video', 'one')
      ? await ramp(rig, replay, gate, oneWorker(allVideo, START_PARTICIPANTS))
      : [];
    const largestOne = largest(one)?.participants;
    const two = runs('all-video', 'two')
      ? await ramp(rig, replay, gate, twoWorkers(allVideo, largestOne))
      : [];
    await replay.stop();
    replay = await startGridReplay(LOAD_CORE);
    try {
      // The grid call carries far less per participant: it starts where the worst case ended.
      const gridOne = runs('grid', 'one')
        ? await ramp(rig, replay, gate, oneWorker(grid, largestOne ?? START_PARTICIPANTS))
        : [];
      const gridTwo = runs('grid', 'two')
        ? await ramp(rig, replay, gate, twoWorkers(grid, largest(gridOne)?.participants))
        : [];
      const mics = await gridRates(replay);
      console.log(
        `grid call: layers ${mics.layerPps.map((pps) => fmt(pps, 1)).join(' / ')} pkt/s, talking mic ` +
          `${fmt(mics.talkingPps, 1)} pkt/s, silent DTX mic ${fmt(mics.silentPps, 1)} pkt/s ` +
          `(${fmt(mics.dtxLeftOutPps, 1)} DTX frames/s left out); dynacast ${DYNACAST ? 'on' : 'off'}`,
      );
      return report({ one, two, gridOne, gridTwo }, mics);
    } finally {
      await replay.stop();
    }
  } finally {
    await rig.close();
  }
}

const oneWorker = (workload: Workload, start: number): RampPlan => ({
  label: `one Worker (${workload.id})`,
  workload,
  workerCores: [SUT_CORE],
  loadCores: LOAD_CORE,
  start,
});

const twoWorkers = (workload: Workload, largestOne: number | undefined): RampPlan => ({
  label: `the pod's 2 Workers (${workload.id})`,
  workload,
  workerCores: [SUT_CORE, LOAD_CORE],
  // Two Workers take both cores: the replay, the sink and this controller share them.
  loadCores: ALL_CORES,
  start: Number(options.from ?? largestOne ?? START_PARTICIPANTS),
});

async function ramp(
  rig: ForwardingRig,
  replay: FanoutReplay,
  gate: QuietGate,
  plan: RampPlan,
): Promise<Step[]> {
  const started = performance.now();
  for (const pid of [process.pid, rig.sink.pid]) pinToCore(pid, plan.loadCores);
  replay.moveTo(plan.loadCores);
  const routers = [];
  for (const core of plan.workerCores) routers.push(await rig.addRouter(core));
  const call = new AllVideoCall(rig, replay, routers, plan.workload.call);
  const steps: Step[] = [];
  try {
    while (call.size < plan.start) await call.join();
    await waitUntil(
      async () => (await producerPackets(call.producers)) > 50 * call.size,
      10_000,
      'replayed RTP to reach every producer',
    );
    console.log(`call capacity: growing one all-video call on ${plan.label}`);
    // Two failing steps in a row end the ramp: one can be a busy moment of a shared machine.
    let failedInARow = 0;
    while (call.size <= MAX_PARTICIPANTS && performance.now() - started < RAMP_BUDGET_MS) {
      const step = await measure(call, rig, replay, gate, plan.workload);
      steps.push(step);
      failedInARow = step.fits ? 0 : failedInARow + 1;
      if (failedInARow === 2 || busiest(step) >= 0.95) break;
      // Far from the limit, grow by two to spend the time budget near it.
      for (let k = busiest(step) < 0.5 ? 2 : 1; k > 0; k--) await call.join();
    }
    return steps;
  } finally {
    await call.close();
    for (const { worker } of routers) worker.close();
    await replay.clear();
  }
}

async function measure(
  call: AllVideoCall,
  rig: ForwardingRig,
  replay: FanoutReplay,
  gate: QuietGate,
  workload: Workload,
) {
  // With dynacast, a size is what the product makes of it once every sender was told what is watched.
  await call.dynacastSettled();
  await sleep(SETTLE_MS);
  await gate.wait();
  const ports = call.legs.flatMap((leg) => leg.ports);
  const layerChanges0 = call.layerChanges;
  const count0 = await call.counts();
  const sink0 = await rig.sink.counts();
  const ingestDrops0 = udpSocketDrops(ports);
  const sinkDrops0 = udpSocketDrops(rig.sink.ports);
  const stopWorkers = call.legs.map((leg) => startCpu(leg.worker.pid));
  const stopSink = startCpu(rig.sink.pid);
  const stopGenerator = startCpu(process.pid, ...replay.pids);
  const stopBackground = startBackgroundCpu();
  await sleep(WINDOW_MS);
  const cpu = stopWorkers.map((stop) => stop());
  const sinkCpu = stopSink();
  const generatorCpu = stopGenerator();
  const backgroundCores = stopBackground();
  const ingestDrops1 = udpSocketDrops(ports);
  const sinkDrops1 = udpSocketDrops(rig.sink.ports);
  const sink1 = await rig.sink.counts();
  const count1 = await call.counts();
  const wallSeconds = sinkCpu.wallUs / 1e6;
  const rate = (key: keyof LegCounts, i: number) => {
    const a = count0[i] as LegCounts;
    const b = count1[i] as LegCounts;
    return (b[key] - a[key]) / ((b.at - a.at) / 1000);
  };
  const n = call.size;
  const workers: WorkerSample[] = call.legs.map((leg, i) => ({
    cores: (cpu[i] as { cores: number }).cores,
    forwardedPps: rate('sent', i),
    pipedPps: rate('piped', i),
    participants: leg.producers.length / 2,
  }));
  const ingestPps = call.legs.reduce((sum, _, i) => sum + rate('received', i), 0);
  const ingestDroppedPps = (ingestDrops1 - ingestDrops0) / wallSeconds;
  // What each consumer should deliver: all its producer received, or (grid call) its thumbnail layer.
  const deliverablePps = call.legs.reduce((sum, _, i) => sum + rate('deliverable', i), 0);
  const expectedPps = deliverablePps * (n - 1);
  // Replayed packets the kernel dropped before a Worker read them are lost for every receiver too
  // (in the deliverable share of what was received).
  const shouldHave = expectedPps + ingestDroppedPps * (deliverablePps / Math.max(1, ingestPps)) * (n - 1);
  const off = workload.offLayer(call.legs.flatMap((leg) => leg.consumers));
  // Over the sink's own interval: what it had not read yet at either end is alike in a steady state.
  const deliveredPps = sinkRate('rtp', sink0, sink1);
  const loss = Math.max(0, 1 - deliveredPps / shouldHave);
  const estimate = await call.lowestReceiveEstimate();
  const step: Step = {
    workers,
    offLayer: off,
    layerChanges: call.layerChanges - layerChanges0,
    participants: n,
    consumers: call.consumers,
    expectedPps,
    deliveredPps,
    sinkDroppedPps: (sinkDrops1 - sinkDrops0) / wallSeconds,
    probationPps: sinkRate('probation', sink0, sink1),
    loss,
    ingestPps,
    ingestDroppedPps,
    sinkCores: sinkCpu.cores,
    generatorCores: generatorCpu.cores,
    backgroundCores,
    fits: loss < MAX_LOSS && workers.every((w) => w.cores < MAX_CPU) && off === 0,
  };
  console.log(
    `  ${n} participants, ${step.consumers} consumers, sink drops ${fmt(step.sinkDroppedPps)}/s: workers=${workers.map((w) => `${fmt(w.cores * 100, 1)}%`).join('+')} ` +
      `piped=${workers.map((w) => fmt(w.pipedPps)).join('+')} delivered=${fmt(deliveredPps)} of ${fmt(shouldHave)} pkt/s ` +
      `loss=${fmt(loss * 100, 2)}% sink=${fmt(sinkCpu.cores * 100)}% generator=${fmt(generatorCpu.cores * 100)}% ` +
      `background=${fmt(backgroundCores * 100)}% lowest receive estimate=${fmt(estimate / 1e6, 1)} Mbit/s${workload.id === 'grid' ? ` off-layer video consumers=${off} layer changes=${step.layerChanges}` : ''}`,
  );
  return step;
}

const largest = (steps: Step[]) => steps.filter((s) => s.fits).at(-1);
/** The grid call's size to give what a sender sends at: its largest fit (two Workers, else one), else its last size. */
const gridSize = ({ gridOne, gridTwo }: Ramps) =>
  (largest(gridTwo) ?? largest(gridOne) ?? gridTwo.at(-1) ?? gridOne.at(-1))?.participants ??
  START_PARTICIPANTS;
const GRID_LABEL = DYNACAST ? 'the grid call as the SDK runs it' : 'the grid call without dynacast';
/** Streams an all-to-all call of n forwards to its subscribers: each of n participants to n − 1 others. */
const streams = (n: number) => n * (n - 1);

function stepTable(steps: Step[], grid = false): string {
  const split = (steps[0]?.workers.length ?? 1) > 1;
  const perWorker = (s: Step, value: (w: WorkerSample) => string) => s.workers.map(value).join(' / ');
  return mdTable(
    [
      'participants',
      'consumers',
      split ? 'Worker CPU, each (% of its core)' : 'Worker CPU (% of core)',
      'should deliver pkt/s',
      "sent by the Workers' consumers pkt/s",
      'reached the sink pkt/s',
      'dropped at the sink pkt/s',
      'loss',
      ...(split ? ['piped between the Workers pkt/s', 'pipe share of what a Worker sends'] : []),
      'Worker µs / sent pkt',
      'sink CPU %',
      'replay + controller CPU %',
      'background CPU %',
      ...(grid
        ? [
            'received from each sender pkt/s',
            `video consumers not on layer ${THUMBNAIL_LAYER}`,
            'layer changes in the window',
          ]
        : []),
      'fits',
    ],
    steps.map((s) => [
      s.participants,
      s.consumers,
      perWorker(s, (w) => fmt(w.cores * 100, 1)),
      fmt(s.expectedPps),
      fmt(s.workers.reduce((sum, w) => sum + w.forwardedPps, 0)),
      fmt(s.deliveredPps),
      fmt(s.sinkDroppedPps),
      `${fmt(s.loss * 100, 2)}%`,
      ...(split
        ? [
            perWorker(s, (w) => fmt(w.pipedPps)),
            perWorker(s, (w) => `${fmt((w.pipedPps / Math.max(1, sentPerSecond(w))) * 100, 1)}%`),
          ]
        : []),
      perWorker(s, (w) => fmt(usPerSent(w), 2)),
      fmt(s.sinkCores * 100),
      fmt(s.generatorCores * 100),
      fmt(s.backgroundCores * 100),
      ...(grid ? [fmt(s.ingestPps / s.participants, 1), s.offLayer, s.layerChanges] : []),
      s.fits ? 'yes' : 'no',
    ]),
  );
}

const sizeOf = (step: Step | undefined, floor: number) =>
  step ? `${step.participants} participants` : `fewer than ${floor}`;

function report(ramps: Ramps, mics: GridRates): BenchFindings {
  const { one, two, gridOne, gridTwo } = ramps;
  const oneLargest = largest(one);
  const twoLargest = largest(two);
  const limit = `< ${MAX_LOSS * 100}% loss, < ${MAX_CPU * 100}% CPU`;
  const headline: HeadlineRow[] = [];
  if (one.length)
    headline.push({
      metric: `Largest all-video call on one Worker (everyone receives everyone; ${limit})`,
      measured: oneLargest
        ? `${oneLargest.participants} participants (measured; ${fmt(oneLargest.consumers)} consumers, ${fmt(oneLargest.deliveredPps)} pkt/s, ${fmt(busiest(oneLargest) * 100)}% CPU)`
        : sizeOf(undefined, one[0]?.participants ?? START_PARTICIPANTS),
      baseline: '—',
      ratio: '—',
      anchor: 'MAX_PARTICIPANTS_PER_CALL = 25',
    });
  if (two.length)
    headline.push({
      metric: `Largest all-video call over the pod's 2 Workers (everyone receives everyone; ${limit} on each Worker)`,
      measured: twoLargest
        ? `${twoLargest.participants} participants (measured; ${fmt(twoLargest.consumers)} consumers, ${fmt(twoLargest.deliveredPps)} pkt/s, Workers ${twoLargest.workers.map((w) => `${fmt(w.cores * 100)}%`).join(' / ')})`
        : sizeOf(undefined, two[0]?.participants ?? START_PARTICIPANTS),
      baseline: oneLargest ? `one Worker ${oneLargest.participants} (same run)` : '—',
      ratio: oneLargest && twoLargest ? ratio(twoLargest.participants, oneLargest.participants) : '—',
      anchor: 'issue #15 asks ×2 the one-Worker size',
    });
  const gridName = `${GRID_LABEL} (${THUMBNAIL_HEIGHT} px thumbnails: simulcast layer ${THUMBNAIL_LAYER}${DYNACAST ? ', the only layer senders send (dynacast)' : ', all 3 layers sent'}; ${TALKERS} talking, the other mics silent with DTX)`;
  const worstBaseline = oneLargest ? `worst case, one Worker: ${oneLargest.participants} (same run)` : '—';
  for (const [steps, where] of [
    [gridOne, 'on one Worker'],
    [gridTwo, "over the pod's 2 Workers"],
  ] as const) {
    if (!steps.length) continue;
    const fit = largest(steps);
    headline.push({
      metric: `Largest grid call ${where}: ${gridName}; ${limit}${steps === gridTwo ? ' on each Worker' : ''}`,
      measured: fit
        ? `${fit.participants} participants (measured; ${fmt(fit.consumers)} consumers, ${fmt(fit.deliveredPps)} pkt/s, Workers ${fit.workers.map((w) => `${fmt(w.cores * 100)}%`).join(' / ')})`
        : sizeOf(undefined, steps[0]?.participants ?? START_PARTICIPANTS),
      baseline: worstBaseline,
      ratio: oneLargest && fit ? ratio(fit.participants, oneLargest.participants) : '—',
      anchor: 'issue #15 asks ×2 the one-Worker size',
    });
  }
  const markdown = [
    bothWorkloads(ramps, mics),
    '',
    `**The worst case**: everyone sends one full-rate stream and talks all the time; everyone receives all of it.`,
    '',
    `Setup: every participant's audio and video come from one replay: ffmpeg replays the clip (${clipInfo.video}; ` +
      `${clipInfo.audio}) once into a Node fan-out process that sends each packet on to every participant's 2 comedia ` +
      'PlainTransport producers with that participant’s SSRCs, each participant at its own delay spread over the 1 s ' +
      "keyframe interval (independent senders' keyframes do not coincide); an ffmpeg per participant would cost ~2% of " +
      'a core each. Every participant receives every other participant through one SRTP ' +
      `(${SRTP_SUITE}) PlainTransport of its own, as the SDK receives a call through one receive transport per ` +
      "device: it carries the participant's consumers of every other participant's audio and video (transport-cc " +
      "negotiated as in the product, so each transport's pacer runs, one per subscriber). Its estimate of the " +
      `bitrate it may send starts at ${fmt(RECEIVE_BITRATE / 1e6)} Mbit/s (\`initialAvailableOutgoingBitrate\`, set on ` +
      "the PlainTransport's request: mediasoup's Node API offers it for a WebRtcTransport only): mediasoup shares " +
      "that estimate among a transport's video consumers and raises it from the receiver's transport-cc feedback, " +
      'which the sink does not send; at the 600 kbit/s default a subscriber would get a layer of only a few ' +
      "simulcast cameras, where a browser's feedback raises it to its downlink. The transports send " +
      'to a 4-socket UDP sink (a small ' +
      'C program that reads in recvmmsg batches once a millisecond: a Node sink costs ≈ 12 µs per packet, two thirds of what the Worker spends). The call grows from ' +
      `the start size by two while every Worker is under 50%, then by one; each size is measured over ${WINDOW_MS / 1000} s ` +
      `after ${SETTLE_MS / 1000} s settling. *Should deliver* = RTP the producers received × (participants − 1) (+ ` +
      'replayed packets the kernel dropped before a Worker read them); *loss* = the share of that which did not reach ' +
      "the sink (media RTP only: the Worker's bandwidth-probation padding is counted apart). A size *fits* with loss " +
      `under ${MAX_LOSS * 100}% and every Worker under ${MAX_CPU * 100}% of its core; two sizes in a row that do not ` +
      'fit end a ramp. *Worker µs / sent pkt* = its CPU ÷ (RTP to subscribers + RTP into the pipe).',
    '',
    `**One Worker** (one Router, how a call ran before it could span Workers): Worker ${canPin ? `pinned to core ${SUT_CORE}` : 'not pinned'}; ` +
      `the replay, the sink and this controller on core ${LOAD_CORE}.`,
    '',
    one.length ? stepTable(one) : '(not run)',
    '',
    `**Over the pod's 2 Workers** (one Router on each, as CallRouters spreads a call): participants placed on the ` +
      'two Routers in turn (the product fills a Router to `ROUTER_MAX_PARTICIPANTS`, 12 by default, then places on ' +
      'the least busy: the same even split from 24 participants on); each producer piped to the other Router with ' +
      "the product's ProducerPipes (`router.pipeToRouter`, on the first subscriber there); each subscriber's consumers " +
      `on its own Router. Workers ${canPin ? `pinned to cores ${SUT_CORE} and ${LOAD_CORE}` : 'not pinned'}. ` +
      'With both cores taken by Workers, the load generator has no core of its own: the replay, the sink and this ' +
      'controller run on both cores beside the Workers (at lower priority), and their CPU is in the table; it is ' +
      'CPU the Workers could not use.',
    '',
    two.length ? stepTable(two) : '(not run)',
    '',
    conclusion(one, two),
    '',
    gridSetup(TALKERS, mics, DYNACAST, gridSize(ramps)),
    '',
    '**Grid call, one Worker**',
    '',
    gridOne.length ? stepTable(gridOne, true) : '(not run)',
    '',
    "**Grid call, over the pod's 2 Workers**",
    '',
    gridTwo.length ? stepTable(gridTwo, true) : '(not run)',
    '',
    gridOne.length
      ? `Grid call, one Worker: largest fit **${sizeOf(largest(gridOne), gridOne[0]?.participants ?? START_PARTICIPANTS)}**; what ended the ramp: ${endedBy(gridOne, largest(gridOne))}.`
      : '',
    gridTwo.length
      ? `Grid call, two Workers: largest fit **${sizeOf(largest(gridTwo), gridTwo[0]?.participants ?? START_PARTICIPANTS)}**; what ended the ramp: ${endedBy(gridTwo, largest(gridTwo))}.`
      : '',
    '',
    gridNoise([...gridOne, ...gridTwo]),
  ].join('\n');
  return {
    id: 'call-capacity',
    title:
      "Largest all-video call: the worst case and the SDK's grid call, on one Worker and over the pod's 2 Workers",
    headline,
    markdown,
  };
}

/**
 * Both workloads in one table, against the same run's one-Worker worst case,
 * and what differs between them per participant and per stream, measured at
 * each one-Worker largest fit.
 */
function bothWorkloads({ one, two, gridOne, gridTwo }: Ramps, mics: GridRates): string {
  const base = largest(one)?.participants;
  const rows = (
    [
      ['worst case (all-to-all, full rate)', 'one Worker', one],
      ['worst case (all-to-all, full rate)', "the pod's 2 Workers", two],
      [GRID_LABEL.replace(/^the /, ''), 'one Worker', gridOne],
      [GRID_LABEL.replace(/^the /, ''), "the pod's 2 Workers", gridTwo],
    ] as const
  )
    .filter(([, , steps]) => steps.length)
    .map(([workload, where, steps]) => {
      const fit = largest(steps);
      return [
        workload,
        where,
        fit ? fit.participants : sizeOf(undefined, steps[0]?.participants ?? START_PARTICIPANTS),
        fit ? fmt(fit.consumers) : '—',
        fit ? fmt(fit.deliveredPps) : '—',
        fit ? fit.workers.map((w) => `${fmt(w.cores * 100)}%`).join(' / ') : '—',
        fit && base ? ratio(fit.participants, base) : '—',
      ];
    });
  const table = mdTable(
    [
      'workload',
      'Workers',
      'largest fit (participants)',
      'consumers',
      'delivered pkt/s',
      'Worker CPU',
      'vs the worst case on one Worker (same run)',
    ],
    rows,
  );
  const worst = largest(one);
  const grid = largest(gridOne);
  const perPair = (s: Step) => s.deliveredPps / streams(s.participants);
  const perSender = (s: Step) => s.ingestPps / s.participants;
  const perConsumer = (s: Step) => s.deliveredPps / Math.max(1, s.consumers);
  const differs =
    worst && grid
      ? [
          '',
          'What differs between the two workloads (measured at each one-Worker largest fit):',
          '',
          `- What a participant sends the Worker: the worst case one 640x360 VP8 stream and a mic at 50 pkt/s, ` +
            `${fmt(perSender(worst))} pkt/s; the grid call ` +
            (DYNACAST
              ? `with dynacast its layer ${THUMBNAIL_LAYER} (the only one watched) and a mic (talking, or silent with ` +
                `DTX), ${fmt(perSender(grid))} pkt/s on average (without dynacast all three layers and the mic, ` +
                `${fmt(senderPps(mics, TALKERS, grid.participants))} pkt/s by the replay's rates).`
              : `without dynacast three simulcast layers and a mic (talking, or silent with DTX), ` +
                `${fmt(perSender(grid))} pkt/s on average (with dynacast layer ${THUMBNAIL_LAYER} and the mic, ` +
                `${fmt(senderPps(mics, TALKERS, grid.participants, THUMBNAIL_LAYER))} pkt/s by the replay's rates).`),
          `- What a subscriber receives of each other participant: the worst case everything, ` +
            `${fmt(perPair(worst), 1)} pkt/s; the grid call the thumbnail layer (${THUMBNAIL_LAYER}) and the mic, ` +
            `${fmt(perPair(grid), 1)} pkt/s on average (${TALKERS} talkers at ~50 pkt/s, the rest DTX).`,
          `- The Worker's CPU per packet it sends: ${fmt(usPerSent(worst.workers[0] as WorkerSample), 2)} µs ` +
            `(worst case) against ${fmt(usPerSent(grid.workers[0] as WorkerSample), 2)} µs (grid call). Not ` +
            'profiled here. ' +
            (DYNACAST
              ? 'With dynacast its producers receive only the layer that is forwarded, so layers a ' +
                'SimulcastConsumer drops are no longer part of it (without dynacast, `--no-dynacast`, the Router ' +
                'hands every packet of all three layers to every consumer of the camera). '
              : "Its producers receive three layers, and mediasoup's Router hands every packet of every layer to " +
                'every consumer of the camera, where a SimulcastConsumer drops the layers it does not forward ' +
                '(dynacast, the default, stops them at the sender). ') +
            `What remains: a grid-call consumer carries ${fmt(perConsumer(grid), 1)} pkt/s on average against ` +
            `${fmt(perConsumer(worst), 1)} in the worst case, so what a consumer costs whatever it carries (its ` +
            "RTCP, and its share of its subscriber's transport and that transport's pacer: see the paused-consumer " +
            'benchmark) weighs on fewer packets.',
          '- Both are all-to-all (everyone consumes everyone): the grid call is what the SDK puts on the server ' +
            'when every tile is a thumbnail; the worst case is everyone full-screen and talking at once.',
        ]
      : [];
  const gridTwoFit = largest(gridTwo);
  const verdict =
    worst && gridTwoFit
      ? [
          '',
          `Issue #15 asks for a call ×2 the one-Worker size: the grid call over the pod's 2 Workers reached ` +
            `${ratio(gridTwoFit.participants, worst.participants)} the same run's one-Worker worst case ` +
            `(${gridTwoFit.participants} against ${worst.participants})${gridTwoFit.participants >= 2 * worst.participants ? '.' : ', short of ×2.'}`,
        ]
      : [];
  return [table, ...differs, ...verdict].join('\n');
}

/**
 * How far the grid call's accounting strays the other way (more delivered than
 * *should deliver*), to read its loss against.
 */
function gridNoise(steps: Step[]): string {
  if (!steps.length) return '';
  const over = Math.max(0, ...steps.map((s) => s.deliveredPps / s.expectedPps - 1));
  return (
    "The grid call's loss is the least robust figure here: its layer-0 video is mostly keyframes (one a second " +
    'per sender), so reading the producers and the sink at slightly different moments moves the comparison; in ' +
    `this run the sink got up to ${fmt(over * 100, 2)}% more than *should deliver* at some size (shown as 0% ` +
    'loss). A size failing on loss near 1% with a Worker well under 80% is within that spread; video consumers ' +
    "changing layers in the window (a producer layer's score reached 0, and without sender reports a consumer " +
    'cannot move to another layer) are a real loss.'
  );
}

/** What ended a ramp: the first size after the largest fit that did not fit, and why. */
function endedBy(steps: Step[], fit: Step | undefined): string {
  const next = steps.find((s) => !s.fits && s.participants > (fit?.participants ?? 0));
  if (!next) return 'the ramp ended within its time budget before a size failed';
  const hot = next.workers.filter((w) => w.cores >= MAX_CPU).length;
  const why = [
    hot
      ? `${next.workers.length === 1 ? 'the' : hot === next.workers.length ? 'every' : 'a'} Worker at or over ${MAX_CPU * 100}%`
      : '',
    next.loss >= MAX_LOSS ? `${fmt(next.loss * 100, 1)}% loss` : '',
    next.offLayer ? `${next.offLayer} video consumers off the thumbnail layer` : '',
  ].filter(Boolean);
  return (
    `at ${next.participants} participants: ${why.join(' and ')} (Worker CPU ` +
    `${next.workers.map((w) => `${fmt(w.cores * 100)}%`).join(' / ')}; sink ${fmt(next.sinkCores * 100)}% and ` +
    `replay + controller ${fmt(next.generatorCores * 100)}% of a core; background ${fmt(next.backgroundCores * 100)}%)`
  );
}

function conclusion(oneSteps: Step[], twoSteps: Step[]): string {
  const one = largest(oneSteps);
  const two = largest(twoSteps);
  const lines = [
    oneSteps.length
      ? `One Worker: largest fit **${sizeOf(one, START_PARTICIPANTS)}**; what ended the ramp: ${endedBy(oneSteps, one)}.`
      : '',
    twoSteps.length
      ? `Two Workers: largest fit **${sizeOf(two, twoSteps[0]?.participants ?? START_PARTICIPANTS)}**; what ended the ramp: ${endedBy(twoSteps, two)}.`
      : '',
  ];
  if (!one || !two) return lines.join('\n');
  const L = one.participants;
  const busier = (s: Step) => s.workers.reduce((a, b) => (b.cores > a.cores ? b : a));
  return [
    ...lines,
    '',
    `Measured, not fitted: **${two.participants} participants over 2 Workers against ${L} on one** ` +
      `(${ratio(two.participants, L)}).`,
    '',
    `What limits it: all-to-all forwarding grows with N². A call of N forwards N(N − 1) streams (every participant ` +
      `to every other), so ${2 * L} participants need ${fmt(streams(2 * L))} streams, ` +
      `${ratio(streams(2 * L), streams(L), 1)} the ${fmt(streams(L))} of ${L}. Split evenly, each Worker forwards ` +
      'N/2 × (N − 1) streams to its subscribers and sends its N/2 participants once more into the pipe: N²/2 each. At ' +
      `the same cost per packet, two Workers therefore carry √(2 · ${L} · ${L - 1}) ≈ ${fmt(Math.sqrt(2 * streams(L)), 1)} ` +
      `participants (≈ ×1.4), not ${2 * L}, however cheap the pipe. Here the busier Worker at ${two.participants} sent ` +
      `${fmt(sentPerSecond(busier(two)))} pkt/s (${fmt(busier(two).pipedPps)} of them into the pipe) at ` +
      `${fmt(usPerSent(busier(two)), 2)} µs each, against ${fmt(sentPerSecond(busier(one)))} pkt/s at ` +
      `${fmt(usPerSent(busier(one)), 2)} µs for the one Worker at ${L} (the pipe is ` +
      `${fmt((busier(two).pipedPps / Math.max(1, sentPerSecond(busier(two)))) * 100, 1)}% of what it sends; the ` +
      "load generator and other jobs on the Workers' cores make the rest of any difference). Twice the one-Worker call needs about 4× its " +
      'forwarding: Worker CPU per packet at about half of today’s on top of the split, or fewer streams per ' +
      'subscriber (video of only the participants on screen, lower simulcast layers for small tiles).',
  ].join('\n');
}

await runBenchmark(main);

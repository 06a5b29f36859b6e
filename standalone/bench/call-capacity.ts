import type { ChildProcess } from 'node:child_process';
import { routerMediaCodecs } from '@groupcall/sfu-worker/composition';
import type { types } from 'mediasoup';
import { loadBenchMediasoup, loopbackListen } from './harness/bench-mediasoup.ts';
import { BenchChild } from './harness/ipc.ts';
import { clipInfo, ensureClip, startReplay } from './harness/media-clip.ts';
import { forwardingTransport, replayedProducer, replayTarget, SRTP_SUITE } from './harness/plain-rtp.ts';
import {
  canPin,
  LOAD_CORE,
  pinToCore,
  QuietGate,
  SUT_CORE,
  sleep,
  startBackgroundCpu,
  startCpu,
  stopChild,
  udpSocketDrops,
  waitUntil,
} from './harness/proc.ts';
import { type BenchResult, type HeadlineRow, mdTable, publish } from './harness/report.ts';
import { fmt } from './harness/stats.ts';
import { producerPackets, workerCounts } from './harness/worker-counters.ts';

/**
 * The largest all-video call one pod carries (benchmark 2), without browsers.
 *
 * Every participant sends the replayed clip (VP8 + opus; ffmpeg `-c copy` into
 * comedia PlainTransport producers, as forwarding.ts does) and receives every
 * other participant: one SRTP PlainTransport per (subscriber, sender) pair with
 * that sender's audio and video consumer, sending to a counting UDP sink. A call
 * is one Router on one Worker (how the product places calls), so the call grows
 * one participant at a time (two while far from the limit) until the Worker loses packets (≥ 1 %) or passes 80 %
 * of its core. Loss = packets the Worker should have forwarded (what its
 * producers received × the other participants) that did not reach the sink.
 */

const START_PARTICIPANTS = 8;
const MAX_PARTICIPANTS = 40;
const MAX_LOSS = 0.01;
const MAX_CPU = 0.8;
const WINDOW_MS = 5000;
const SETTLE_MS = 2000;
const BUDGET_MS = 200_000;

interface Sender {
  index: number;
  video: types.Producer;
  audio: types.Producer;
  ports: number[];
  ffmpeg: ChildProcess;
}

interface Step {
  participants: number;
  consumers: number;
  workerCores: number;
  expectedPps: number;
  forwardedPps: number;
  deliveredPps: number;
  loss: number;
  ingestPps: number;
  ingestDroppedPps: number;
  sinkCores: number;
  backgroundCores: number;
  fits: boolean;
}

const started = performance.now();
const overBudget = () => performance.now() - started > BUDGET_MS;

async function main(): Promise<BenchResult> {
  pinToCore(process.pid, LOAD_CORE);
  const clip = ensureClip();
  const mediasoup = await loadBenchMediasoup();
  const listen = loopbackListen(mediasoup);
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  pinToCore(worker.pid, SUT_CORE);
  const router = await worker.createRouter({ mediaCodecs: routerMediaCodecs });
  const sink = await BenchChild.start(new URL('./forwarding/udp-sink.ts', import.meta.url), {
    core: LOAD_CORE,
  });
  const sinkPorts = await sink.call<number[]>('open');
  const senders: Sender[] = [];
  const consumers: types.Consumer[] = [];
  const gate = new QuietGate({ budgetMs: 30_000 });
  const steps: Step[] = [];
  let pairs = 0;

  const addSender = async (index: number): Promise<Sender> => {
    const video = await replayedProducer(router, listen, 'video', index);
    const audio = await replayedProducer(router, listen, 'audio', index);
    const ffmpeg = startReplay(clip, replayTarget(index, video.port, audio.port), LOAD_CORE);
    return { index, video: video.producer, audio: audio.producer, ports: [video.port, audio.port], ffmpeg };
  };

  /** What one subscriber receives from one sender: a transport with its audio and video consumer. */
  const subscribe = async (from: Sender) => {
    const transport = await forwardingTransport(
      router,
      listen,
      sinkPorts[pairs++ % sinkPorts.length] as number,
    );
    for (const producer of [from.video, from.audio]) {
      consumers.push(
        await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities }),
      );
    }
  };

  /** Participant n joins: sends, is received by everyone there, receives everyone there. */
  const join = async () => {
    const joining = await addSender(senders.length);
    const others = senders.slice();
    senders.push(joining);
    const tasks = others.flatMap((other) => [() => subscribe(joining), () => subscribe(other)]);
    for (let i = 0; i < tasks.length; i += 20) await Promise.all(tasks.slice(i, i + 20).map((t) => t()));
  };

  const measure = async (): Promise<Step> => {
    await sleep(SETTLE_MS);
    await gate.wait();
    const producers = senders.flatMap((s) => [s.video, s.audio]);
    const ports = senders.flatMap((s) => s.ports);
    const count0 = await workerCounts(producers, consumers);
    const sink0 = await sink.call<{ rtp: number }>('counts');
    const ingestDrops0 = udpSocketDrops(ports);
    const stopWorker = startCpu(worker.pid);
    const stopSink = startCpu(sink.pid);
    const stopBackground = startBackgroundCpu();
    await sleep(WINDOW_MS);
    const cpu = stopWorker();
    const sinkCpu = stopSink();
    const backgroundCores = stopBackground();
    const ingestDrops1 = udpSocketDrops(ports);
    // The sink may trail the Worker by a moment on a busy core: let it drain before reading.
    await sleep(300);
    const sink1 = await sink.call<{ rtp: number }>('counts');
    const count1 = await workerCounts(producers, consumers);
    const countSeconds = (count1.at - count0.at) / 1000;
    const perSecond = (n: number) => n / (cpu.wallUs / 1e6);
    const ingestPps = (count1.received - count0.received) / countSeconds;
    const n = senders.length;
    const expectedPps = ingestPps * (n - 1);
    const deliveredPps = perSecond(sink1.rtp - sink0.rtp);
    const ingestDroppedPps = perSecond(ingestDrops1 - ingestDrops0);
    // Replayed packets the kernel dropped before the Worker read them are lost for every receiver too.
    const shouldHave = expectedPps + ingestDroppedPps * (n - 1);
    const loss = Math.max(0, 1 - deliveredPps / shouldHave);
    const step: Step = {
      participants: n,
      consumers: consumers.length,
      workerCores: cpu.cores,
      expectedPps,
      forwardedPps: (count1.sent - count0.sent) / countSeconds,
      deliveredPps,
      loss,
      ingestPps,
      ingestDroppedPps,
      sinkCores: sinkCpu.cores,
      backgroundCores,
      fits: loss < MAX_LOSS && cpu.cores < MAX_CPU,
    };
    console.log(
      `  ${n} participants, ${consumers.length} consumers: worker=${fmt(cpu.cores * 100, 1)}% ` +
        `forwarded=${fmt(step.forwardedPps)} delivered=${fmt(deliveredPps)} of ${fmt(shouldHave)} pkt/s ` +
        `loss=${fmt(loss * 100, 2)}% sink=${fmt(sinkCpu.cores * 100)}% background=${fmt(backgroundCores * 100)}%`,
    );
    steps.push(step);
    return step;
  };

  try {
    while (senders.length < START_PARTICIPANTS) await join();
    await waitUntil(
      async () => (await producerPackets(senders.flatMap((s) => [s.video, s.audio]))) > 50 * senders.length,
      10_000,
      'replayed RTP to reach every producer',
    );
    console.log('call capacity: growing one all-video call on one Worker');
    // Two failing steps in a row end the ramp: one can be a busy moment of a shared machine.
    let failedInARow = 0;
    while (senders.length <= MAX_PARTICIPANTS && !overBudget()) {
      const step = await measure();
      failedInARow = step.fits ? 0 : failedInARow + 1;
      if (failedInARow === 2 || step.workerCores >= 0.95) break;
      // Far from the limit, grow by two to spend the time budget near it.
      for (let k = step.workerCores < 0.5 ? 2 : 1; k > 0; k--) await join();
    }
    return report(steps);
  } finally {
    for (const s of senders) await stopChild(s.ffmpeg);
    worker.close();
    await sink.stop();
  }
}

function report(steps: Step[]): BenchResult {
  const largest = steps.filter((s) => s.fits).at(-1);
  const table = mdTable(
    [
      'participants',
      'consumers',
      'Worker CPU (% of core)',
      'should forward pkt/s',
      'Worker sent pkt/s',
      'reached the sink pkt/s',
      'loss',
      'µs / forwarded pkt',
      'sink CPU %',
      'background CPU %',
      'fits',
    ],
    steps.map((s) => [
      s.participants,
      s.consumers,
      fmt(s.workerCores * 100, 1),
      fmt(s.expectedPps),
      fmt(s.forwardedPps),
      fmt(s.deliveredPps),
      `${fmt(s.loss * 100, 2)}%`,
      fmt((s.workerCores * 1e6) / Math.max(1, s.forwardedPps), 2),
      fmt(s.sinkCores * 100),
      fmt(s.backgroundCores * 100),
      s.fits ? 'yes' : 'no',
    ]),
  );
  const headline: HeadlineRow[] = [
    {
      metric: `Largest all-video call on one Worker (everyone receives everyone; < ${MAX_LOSS * 100}% loss, < ${MAX_CPU * 100}% CPU)`,
      measured: largest
        ? `${largest.participants} participants (measured; ${largest.consumers} consumers, ${fmt(largest.forwardedPps)} pkt/s, ${fmt(largest.workerCores * 100)}% CPU)`
        : `fewer than ${START_PARTICIPANTS}`,
      baseline: '—',
      ratio: '—',
      anchor: 'MAX_PARTICIPANTS_PER_CALL = 25',
    },
  ];
  const markdown = [
    `Setup: one Router on one Worker${canPin ? ` pinned to core ${SUT_CORE}` : ''}; every participant is an ffmpeg replay ` +
      `(${clipInfo.video}; ${clipInfo.audio}) into 2 comedia PlainTransport producers, and receives every other participant ` +
      `through one SRTP (${SRTP_SUITE}) PlainTransport per sender carrying its audio and video consumer, to a 4-socket ` +
      `Node UDP sink. ffmpeg processes, sink and controller on core ${LOAD_CORE}. The call grows one participant at a time ` +
      `from ${START_PARTICIPANTS} (by two while the Worker is under 50%); each size is measured over ${WINDOW_MS / 1000} s after ${SETTLE_MS / 1000} s settling. ` +
      '*Should forward* = RTP the producers received × (participants − 1) (+ replayed packets the kernel dropped before ' +
      'the Worker read them); *loss* = the share of that which did not reach the sink. A size *fits* with loss under ' +
      `${MAX_LOSS * 100}% and the Worker under ${MAX_CPU * 100}% of its core; two sizes in a row that do not fit end the ramp.`,
    '',
    table,
    '',
    largest
      ? `Largest call that fits: **${largest.participants} participants** (measured, not fitted).`
      : 'No size fitted.',
    'A call lives on one Worker (one Router), so a 2-core pod (2 Workers) carries this per call; the second core serves other calls.',
  ].join('\n');
  return {
    id: 'call-capacity',
    title: 'Largest all-video call per Worker',
    headline,
    markdown,
    notMeasured: [],
    seconds: (performance.now() - started) / 1000,
  };
}

publish(await main());

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type DirectoryData, InMemoryDirectory } from '@groupcall/shared/directory';
import { createLogger } from '@groupcall/shared/logging';
import { chromiumExecutable, chromiumFlags } from '@groupcall/testing';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startEmbeddedServer } from '../src/server.ts';
import { deadline, QuietGate, sleep, startBackgroundCpu } from './harness/proc.ts';
import { type BenchFindings, type HeadlineRow, mdTable, runBenchmark } from './harness/report.ts';
import { fmt, ratio, summarize } from './harness/stats.ts';
import { browserNodePaths } from './harness/workspace-deps.ts';
import type { JoinMarks, JoinOptions } from './join-latency/marks.ts';

/**
 * Join latency by stage (benchmark 2): headless Chromium joins a call on the
 * embedded server over loopback through the client SDK, JOINS times, each in
 * a fresh browser context and page (one browser for all). A second page
 * stays in the call sending its fake camera, so every join has a remote
 * video frame to decode and keyframe requests are answered at once by a real
 * encoder.
 *
 * The page times each stage from the join request (the user pressing "join";
 * local media is captured and the client created before, as an app does at
 * startup or preview): socket connected → room joined → transports created →
 * [published] → consumer created → DTLS connected → first frame decoded, and
 * counts the request/ack round trips.
 * Baselines in the same run: a Socket.IO request round trip on the same
 * server, and two RTCPeerConnections in one page (WebRTC with no server).
 *
 *   node standalone/bench/join-latency.ts [--joins N]   (default 22 per series)
 */

const JOINS = joinsArgument() ?? 22;
const WARMUP = 2;
const ROOM = 'bench-join';

type BenchWindow = {
  bench: {
    join(options: JoinOptions): Promise<JoinMarks>;
    produceVideo(options: Omit<JoinOptions, 'publish'>): Promise<void>;
    socketRoundTrips(options: { url: string; userId: string; count: number }): Promise<number[]>;
    barePeerConnection(): Promise<{ dtlsConnected: number; firstFrameDecoded: number }>;
  };
};

/** The page and its bundle, served over HTTP on loopback (a secure context for getUserMedia). */
async function servePage(): Promise<{ url: string; server: Server }> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./join-latency/page.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    nodePaths: browserNodePaths,
    // @groupcall/client's TypeScript sources: the SDK as this checkout has it.
    conditions: ['groupcall-source'],
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  const html =
    '<!doctype html><meta charset="utf-8"><title>join bench</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const isJs = req.url === '/page.js';
    res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
    res.end(isJs ? js : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

async function openPage(browser: Browser, pageUrl: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'bench' in globalThis);
  return page;
}

async function main(): Promise<BenchFindings> {
  const userIds = [
    'producer',
    'rtt',
    ...Array.from({ length: 2 * (JOINS + WARMUP) }, (_, i) => `joiner-${i}`),
  ];
  const data: DirectoryData = {
    users: userIds.map((id) => ({ id, name: id, avatar: null, fcmTokens: [] })),
    conversations: [{ id: ROOM, name: 'join bench', avatar: null, members: userIds }],
  };
  const sfu = await startEmbeddedServer({
    port: 0,
    directory: new InMemoryDirectory(data),
    log: createLogger('bench', 'warn'),
    config: {
      host: '127.0.0.1',
      demoPage: false,
      media: { numWorkers: 1, portBase: 0, listenIp: '127.0.0.1' },
      limits: { maxParticipantsPerCall: 10 },
    },
  });
  const page = await servePage();
  const browser = await chromium.launch({
    executablePath: chromiumExecutable,
    headless: true,
    args: [...chromiumFlags],
  });
  // Chromium is part of the measurement here (both peers run on this machine): its processes count as ours.
  const gate = new QuietGate({ maxCores: 0.3, budgetMs: 30_000 });
  const backgrounds: number[] = [];
  let joiner = 0;

  try {
    const producerPage = await openPage(browser, page.url);
    await deadline(
      producerPage.evaluate((o) => (globalThis as unknown as BenchWindow).bench.produceVideo(o), {
        url: sfu.url,
        userId: 'producer',
        roomId: ROOM,
      }),
      20_000,
      'the remote participant to start sending',
    );

    const joinOnce = async (publish: boolean): Promise<JoinMarks> => {
      const stopBackground = startBackgroundCpu();
      const joinPage = await openPage(browser, page.url);
      const result = await deadline(
        joinPage.evaluate((o) => (globalThis as unknown as BenchWindow).bench.join(o), {
          url: sfu.url,
          userId: `joiner-${joiner++}`,
          roomId: ROOM,
          publish,
        }),
        20_000,
        'a join',
      );
      await joinPage.context().close();
      backgrounds.push(stopBackground());
      // Let the server process the leave before the next join.
      await sleep(200);
      return result;
    };
    const bareOnce = async () => {
      const barePage = await openPage(browser, page.url);
      const result = await barePage.evaluate(() =>
        (globalThis as unknown as BenchWindow).bench.barePeerConnection(),
      );
      await barePage.context().close();
      return result;
    };
    const publishing: JoinMarks[] = [];
    const receiving: JoinMarks[] = [];
    const bare: { dtlsConnected: number; firstFrameDecoded: number }[] = [];
    // One of each per round, so that a load change on the shared machine touches every series alike.
    console.log(`join-latency: ${JOINS} rounds of a publishing join, a receive-only join and a bare pair`);
    for (let i = 0; i < JOINS + WARMUP; i++) {
      const keep = i >= WARMUP;
      await gate.wait();
      const p = await joinOnce(true);
      await gate.wait();
      const r = await joinOnce(false);
      await gate.wait();
      const b = await bareOnce();
      if (keep) {
        publishing.push(p);
        receiving.push(r);
        bare.push(b);
      }
    }
    console.log('join-latency: Socket.IO round trips');
    const rttPage = await openPage(browser, page.url);
    const rtts = await rttPage.evaluate(
      (o) => (globalThis as unknown as BenchWindow).bench.socketRoundTrips(o),
      {
        url: sfu.url,
        userId: 'rtt',
        count: 200,
      },
    );
    await rttPage.context().close();
    return report({ publishing, receiving, rtts, bare, backgrounds });
  } finally {
    await browser.close();
    page.server.close();
    await sfu.close();
  }
}

function report(r: {
  publishing: JoinMarks[];
  receiving: JoinMarks[];
  rtts: number[];
  bare: { dtlsConnected: number; firstFrameDecoded: number }[];
  backgrounds: number[];
}): BenchFindings {
  const stages: [keyof JoinMarks, string][] = [
    ['socketConnected', 'socket connected'],
    ['roomJoined', 'room joined (createRoom ack)'],
    ['transportsCreated', 'send + recv transports created'],
    ['published', 'camera + mic published (2 produce)'],
    ['sendDtlsConnected', 'send transport DTLS connected'],
    ['consumerCreated', 'remote video consumer created'],
    ['resumed', 'consumer resumed'],
    ['recvDtlsConnected', 'recv transport DTLS connected'],
    ['firstFrameDecoded', 'first remote frame decoded'],
  ];
  const column = (marks: JoinMarks[], key: keyof JoinMarks) =>
    marks.map((m) => m[key]).filter((v): v is number => typeof v === 'number');
  const cell = (marks: JoinMarks[], key: keyof JoinMarks) => {
    const values = column(marks, key);
    if (!values.length) return '—';
    const s = summarize(values);
    return `${fmt(s.p50)} / ${fmt(s.p95)}`;
  };
  const rtt = summarize(r.rtts);
  const bareDtls = summarize(r.bare.map((b) => b.dtlsConnected));
  const bareFrame = summarize(r.bare.map((b) => b.firstFrameDecoded));
  const pubFrame = summarize(column(r.publishing, 'firstFrameDecoded'));
  const recvFrame = summarize(column(r.receiving, 'firstFrameDecoded'));
  const roundTrips = (marks: JoinMarks[]) => awaitedInSequence(marks[0]?.requests ?? []);
  const requestList = (marks: JoinMarks[]) => marks[0]?.requests.map((q) => q.event).join(' → ') ?? '';
  // Request → ack time by event over every join, as the page sees it: the server's handling plus any
  // delay in the page's own busy event loop (an idle round trip is the RTT baseline below).
  const byEvent = new Map<string, number[]>();
  for (const m of [...r.publishing, ...r.receiving]) {
    for (const q of m.requests) byEvent.set(q.event, [...(byEvent.get(q.event) ?? []), q.ms]);
  }
  const requestTable = mdTable(
    ['request', 'n', 'request → ack p50 ms', 'p95 ms'],
    [...byEvent].map(([event, values]) => {
      const s = summarize(values);
      return [event, s.n, fmt(s.p50, 1), fmt(s.p95, 1)];
    }),
  );
  const signallingOnly = (marks: JoinMarks[]) => summarize(column(marks, 'resumed'));
  const background = summarize(r.backgrounds);
  const prepared = summarize([...column(r.publishing, 'prepared'), ...column(r.receiving, 'prepared')]);

  const table = mdTable(
    [
      'stage (ms since join request, p50 / p95)',
      `publishing join (n=${r.publishing.length})`,
      `receive-only join (n=${r.receiving.length})`,
    ],
    stages.map(([key, label]) => [label, cell(r.publishing, key), cell(r.receiving, key)]),
  );
  const headline: HeadlineRow[] = [
    {
      metric: 'Join → first remote frame decoded, p50 / p95 (publishing join)',
      measured: `${fmt(pubFrame.p50)} / ${fmt(pubFrame.p95)} ms`,
      baseline: `bare RTCPeerConnection pair ${fmt(bareFrame.p50)} / ${fmt(bareFrame.p95)} ms`,
      ratio: ratio(pubFrame.p50, bareFrame.p50),
      anchor: '—',
    },
    {
      metric: 'Join → first remote frame decoded, p50 / p95 (receive-only join)',
      measured: `${fmt(recvFrame.p50)} / ${fmt(recvFrame.p95)} ms`,
      baseline: `bare RTCPeerConnection pair ${fmt(bareFrame.p50)} ms`,
      ratio: ratio(recvFrame.p50, bareFrame.p50),
      anchor: '—',
    },
    {
      metric: 'Signalling round trips per join (publishing / receive-only)',
      measured: `${roundTrips(r.publishing)} / ${roundTrips(r.receiving)} sequential`,
      baseline: `Socket.IO RTT p50 ${fmt(rtt.p50, 2)} ms`,
      ratio:
        `${roundTrips(r.publishing)} RTTs = ${fmt(roundTrips(r.publishing) * rtt.p50, 1)} ms of the ` +
        `${fmt(signallingOnly(r.publishing).p50)} ms until the video's resumeConsumer ack`,
      anchor: '—',
    },
  ];
  const markdown = [
    `Headless Chromium (${chromiumFlags.join(' ')}), one browser, a fresh context and page per join; embedded ` +
      'server in the benchmark process (1 mediasoup Worker, WebRtcServer on 127.0.0.1, log level warn). A second ' +
      'page stays in the call sending its fake camera (320x240, 15 fps, one VP8 stream; a fixture that receives ' +
      "nobody, as another participant's device would not load this machine). Each joining page captures its " +
      'fake camera + mic and creates its `GroupCallClient` before the clock starts, as an app does at startup ' +
      '(the SDK asks the browser what it can send and receive then: client created → capabilities known ' +
      `p50 ${fmt(prepared.p50)} / p95 ${fmt(prepared.p95)} ms, outside the join's time; its socket is opened ` +
      'with the clock), then joins with `joinCall`; a receive-only join has no tracks. Each round runs a ' +
      'publishing join, a receive-only join and a bare pair (below), so that load changes on a shared machine ' +
      `touch every series alike; ${WARMUP} warm-up rounds are discarded. Browser, server and Worker share the 2 cores ` +
      `(not pinned: Chromium needs both). Background CPU of other processes during joins: p50 ${fmt(background.p50 * 100)}% / ` +
      `max ${fmt(background.max * 100)}% of a core.`,
    '',
    table,
    '',
    `Round trips (acked requests; \`join\` is sent without waiting, as the SDK does; the count is the chain of ` +
      'requests each sent only after the previous one was answered, ending at the `resumeConsumer` ack): ' +
      `publishing join ${roundTrips(r.publishing)} — ${requestList(r.publishing)}; receive-only join ` +
      `${roundTrips(r.receiving)} — ${requestList(r.receiving)}. Time to the video's \`resumeConsumer\` ack ` +
      `(receiving set up; the SDK produces after it): p50 ${fmt(signallingOnly(r.publishing).p50)} ms publishing, ` +
      `${fmt(signallingOnly(r.receiving).p50)} ms receive-only.`,
    '',
    requestTable,
    '',
    "The bare pair starts its camera track's encoder with the clock, so its first frame also waits for the encoder " +
      'to produce one; a joiner receives a stream already running (the remote encoder answers its keyframe request). ' +
      'The pair is the floor for ICE + DTLS on this machine, and a reference for first frame, not a lower bound for it.',
    '',
    mdTable(
      ['baseline (same run)', 'n', 'p50 ms', 'p95 ms'],
      [
        [
          'Socket.IO request → ack round trip, same server (repeated `join`)',
          rtt.n,
          fmt(rtt.p50, 2),
          fmt(rtt.p95, 2),
        ],
        [
          'bare RTCPeerConnection pair: offer → DTLS connected',
          bareDtls.n,
          fmt(bareDtls.p50),
          fmt(bareDtls.p95),
        ],
        [
          'bare RTCPeerConnection pair: offer → first frame decoded',
          bareFrame.n,
          fmt(bareFrame.p50),
          fmt(bareFrame.p95),
        ],
      ],
    ),
  ].join('\n');
  return {
    id: 'join-latency',
    title: 'Join latency by stage (headless Chromium, loopback)',
    headline,
    markdown,
  };
}

/**
 * Round trips a join waits for one after another: the chain ending at the
 * resumeConsumer ack where each request was sent after the previous one's
 * ack came (requests in flight together count once).
 */
function awaitedInSequence(requests: JoinMarks['requests']): number {
  const end = (q: JoinMarks['requests'][number]) => q.start + q.ms;
  let current = requests.find((q) => q.event === 'resumeConsumer');
  let chain = 0;
  while (current) {
    chain++;
    const sentAt = current.start;
    current = requests.filter((q) => end(q) <= sentAt).sort((a, b) => end(b) - end(a))[0];
  }
  return chain;
}

function joinsArgument(): number | undefined {
  const at = process.argv.indexOf('--joins');
  if (at < 0) return undefined;
  const joins = Number(process.argv[at + 1]);
  if (!Number.isInteger(joins) || joins < 1) throw new Error('--joins takes a positive whole number');
  return joins;
}

await runBenchmark(main);

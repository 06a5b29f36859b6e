import { parseArgs } from 'node:util';
import { createLogger } from '@groupcall/shared/logging';
import { RedisPodRegistry, registryTiming } from '@groupcall/shared/placement';
import { countRedisCommands, fakePodRecord, startRedis, total } from '@groupcall/testing';
import { Redis } from 'ioredis';
import { RedisPlacement } from '../src/placement/redis-placement.ts';
import { percentile } from './load.ts';
import { machineSummary } from './machine.ts';

/**
 * Placement decisions per second against a real Redis (started here, on
 * loopback), with 2, 10 and 50 registered pods (fake heartbeat records: no
 * sfu-worker runs). Per pod count: new calls (the script scans every pod)
 * and joins of placed calls (the live assignment is returned), each from
 * --connections RedisPlacement instances (as many control-plane replicas)
 * keeping --in-flight assigns outstanding; then a few decisions one at a time
 * under MONITOR to count Redis round trips. Redis's own CPU time per decision
 * comes from INFO, so the figure does not depend on this client's speed.
 * About 3 × (1 s warm-up + --seconds + --seconds / 2): ~25 s by default.
 *
 *   node control-plane/bench/placement.ts [--seconds 5] [--connections 4] [--in-flight 64]
 */
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '4' },
    'in-flight': { type: 'string', default: '64' },
  },
});
const measureMs = Number(args.seconds) * 1000;
const connectionCount = Number(args.connections);
const inFlight = Number(args['in-flight']);
const podCounts = [2, 10, 50];
const countedDecisions = 20;

interface Rate {
  decisions: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Redis CPU time (user + sys) per decision, in µs. */
  redisCpuUs: number;
}

interface Row {
  pods: number;
  newCalls: Rate;
  joins: Rate;
  roundTripsPerDecision: number;
  /** Commands Redis ran inside the script, per new call. */
  scriptCommandsPerNewCall: number;
}

// Before this benchmark loads the cores: the load average then says what else was running.
const machine = machineSummary();
const log = createLogger('placement-bench', 'warn');
const redisServer = await startRedis();
const admin = new Redis(redisServer.url);
const connections = Array.from({ length: connectionCount }, () => new Redis(redisServer.url));
const replicas = connections.map((redis) => new RedisPlacement(redis, { log }));
const registry = new RedisPodRegistry(admin);
let heartbeat: NodeJS.Timeout | undefined;

try {
  const rows: Row[] = [];
  for (const pods of podCounts) {
    console.error(`[bench] ${pods} pods…`);
    rows.push(await measure(pods));
  }
  report(rows, (await admin.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?');
} finally {
  clearInterval(heartbeat);
  for (const connection of connections) connection.disconnect();
  admin.disconnect();
  await redisServer.stop();
}

async function measure(pods: number): Promise<Row> {
  await admin.flushall();
  const podNames = Array.from({ length: pods }, (_, i) => `sfu-${i}`);
  // Room for every call the run places: load must never be what decides here.
  const publishAll = () =>
    Promise.all(podNames.map((name) => registry.publish(fakePodRecord(name, { capacity: 1e9 }))));
  await publishAll();
  // Records expire without heartbeats, as for real pods.
  clearInterval(heartbeat);
  heartbeat = setInterval(() => void publishAll(), registryTiming.heartbeatMs);

  let next = 0;
  const newCall = () => `call-${pods}-${next++}`;
  await run(1_000, newCall);
  const newCalls = await run(measureMs, newCall);
  const placed = next;
  const joins = await run(measureMs / 2, (i) => `call-${pods}-${i % placed}`);

  const counts = await countRedisCommands(admin, async () => {
    for (let i = 0; i < countedDecisions; i++) await replicas[0]?.assign(newCall());
  });
  return {
    pods,
    newCalls,
    joins,
    roundTripsPerDecision: total(counts.roundTrips) / countedDecisions,
    scriptCommandsPerNewCall: total(counts.inScripts) / countedDecisions,
  };
}

/** Closed loop: `inFlight` assigns outstanding over the replicas until `durationMs` passed. */
async function run(durationMs: number, conversation: (index: number) => string): Promise<Rate> {
  const latencies: number[] = [];
  const cpuBefore = await redisCpuSeconds();
  const started = performance.now();
  const deadline = started + durationMs;
  let sent = 0;
  const client = async (clientIndex: number) => {
    const placement = replicas[clientIndex % replicas.length] as RedisPlacement;
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await placement.assign(conversation(sent++));
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, i) => client(i)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await redisCpuSeconds()) - cpuBefore;
  return {
    decisions: latencies.length,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    redisCpuUs: (cpu / latencies.length) * 1e6,
  };
}

async function redisCpuSeconds(): Promise<number> {
  const info = await admin.info('cpu');
  const field = (name: string) => Number(info.match(new RegExp(`${name}:([\\d.]+)`))?.[1] ?? Number.NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

function report(rows: Row[], redisVersion: string): void {
  console.log(
    `\nplacement benchmark: Redis ${redisVersion} on loopback, ${connectionCount} connections, ` +
      `${inFlight} assigns in flight, ${args.seconds} s per run\n${machine}\n`,
  );
  const header = [
    'pods',
    'new calls/s',
    'p50 ms',
    'p99 ms',
    'Redis µs',
    'joins/s',
    'p50 ms',
    'p99 ms',
    'Redis µs',
    'round trips',
    'cmds in script',
  ];
  const widths = [5, 12, 8, 8, 9, 10, 8, 8, 9, 12, 15];
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i] ?? 10)).join('');
  console.log(line(header));
  for (const row of rows) {
    const rate = (r: Rate) => [
      r.perSecond.toFixed(0),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      r.redisCpuUs.toFixed(1),
    ];
    console.log(
      line([
        String(row.pods),
        ...rate(row.newCalls),
        ...rate(row.joins),
        row.roundTripsPerDecision.toFixed(2),
        row.scriptCommandsPerNewCall.toFixed(0),
      ]),
    );
  }
  console.log(
    '\nRedis µs: Redis CPU time (user + sys) per decision. round trips: per decision, counted under\n' +
      'MONITOR (one EVALSHA). cmds in script: Redis commands the assign script runs per new call.',
  );
}

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { countRedisCommands, signAccessToken, startMariaDb, startRedis } from '@groupcall/testing';
import { startPlanetScaleSimulator } from '@groupcall/testing/planetscale-simulator';
import { Client } from '@planetscale/database';
import { Redis } from 'ioredis';
import { runMigrations } from '../tools/migrations/run-migrations.ts';
import { seedDirectory } from '../tools/seed/seed-directory.ts';
import { benchDirectoryData, callerId, conversationId, type GroupSize, groupSizes } from './bench-groups.ts';
import { type HttpCall, type LoadResult, percentile, runLoad } from './load.ts';
import type { TargetCounters, TargetReady, TargetSettings } from './target-protocol.ts';

/**
 * POST /v1/calls under load, beside a bare node:http hello world measured
 * the same way in the same run: latency p50/p99 and throughput for groups of
 * 10 and 500 members, Redis round trips per call (counted with MONITOR in
 * a separate pass, so it does not slow the timed one) and directory queries
 * per call. Loopback only; about 3 × (1 s warm-up + --seconds) plus start-up.
 *
 *   node control-plane/bench/run.ts [--directory memory|planetscale] [--seconds 5] [--concurrency 16]
 *
 * --directory memory (default): the in-memory directory with generated
 * groups — the control plane's own cost. planetscale: the PlanetScale
 * directory through the local simulator over MariaDB (needs mariadb-server),
 * adding a database round trip per query; its conversation pools are
 * smaller because they are seeded into the database.
 */
const { values: args } = parseArgs({
  options: {
    directory: { type: 'string', default: 'memory' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
  },
});
if (args.directory !== 'memory' && args.directory !== 'planetscale') {
  throw new Error(`--directory must be memory or planetscale, not ${args.directory}`);
}
const usePlanetScale = args.directory === 'planetscale';
const measureMs = Number(args.seconds) * 1000;
const warmUpMs = 1_000;
const concurrency = Number(args.concurrency);
// Each call needs a conversation of its own; the pool bounds a scenario's requests.
const pools: Record<GroupSize, number> = usePlanetScale
  ? { 10: 4_000, 500: 400 }
  : { 10: 60_000, 500: 8_000 };
const accessTokenSecret = 'bench-access-token-secret-0123456789abcdef';
/** Calls made one at a time under MONITOR to count round trips and queries. */
const countedCalls = 20;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
try {
  log(`starting Redis${usePlanetScale ? ', MariaDB and the PlanetScale simulator' : ''}…`);
  const redisServer = await startRedis();
  cleanups.push(() => redisServer.stop());
  const databaseUrl = usePlanetScale ? await startPlanetScale() : undefined;

  const settings: TargetSettings = {
    redisUrl: redisServer.url,
    databaseUrl,
    pools,
    accessTokenSecret,
    podServiceSecret: 'bench-pod-service-secret-0123456789abcdef',
  };
  const target = fork(new URL('./target.ts', import.meta.url), {
    env: { ...process.env, BENCH_TARGET: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  cleanups.unshift(() => target.kill());
  const [ready] = (await once(target, 'message')) as [TargetReady];
  const counters = async (): Promise<TargetCounters> => {
    target.send('counters');
    return ((await once(target, 'message')) as [TargetCounters])[0];
  };

  const redis = new Redis(redisServer.url);
  cleanups.unshift(() => redis.quit());
  const token = await signAccessToken(callerId, accessTokenSecret);

  const rows: Row[] = [];
  log(`measuring node:http hello world (${args.seconds} s)…`);
  rows.push(
    await scenario('node:http hello world', ready.helloPort, Number.POSITIVE_INFINITY, () => ({
      method: 'GET',
      path: '/',
    })),
  );

  for (const size of groupSizes) {
    let next = 0;
    const startCall = (): HttpCall => ({
      method: 'POST',
      path: '/v1/calls',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: conversationId(size, next++), callType: 'video' }),
    });
    log(`measuring POST /v1/calls, ${size} members (${args.seconds} s)…`);
    const row = await scenario(
      `POST /v1/calls, ${size} members`,
      ready.apiPort,
      pools[size] - countedCalls,
      startCall,
      () => next,
    );
    row.perCall = await countPerCall(ready.apiPort, startCall);
    rows.push(row);
  }

  report(rows);

  /**
   * A few calls one at a time with Redis MONITOR on, after the timed run
   * (MONITOR slows Redis down): each command is tagged with where it came
   * from, a client (one round trip) or a Lua script (inside a round trip).
   */
  async function countPerCall(port: number, next: () => HttpCall): Promise<PerCall> {
    const before = await counters();
    const { roundTrips, inScripts } = await countRedisCommands(redis, () =>
      runLoad({ port, concurrency: 1, durationMs: 10_000, maxRequests: countedCalls, next }),
    );
    const after = await counters();
    const per = (count: number) => count / countedCalls;
    const perCommand = (tally: Record<string, number>) =>
      Object.fromEntries(Object.entries(tally).map(([name, count]) => [name, per(count)]));
    return {
      roundTrips: perCommand(roundTrips),
      inScripts: perCommand(inScripts),
      directoryCalls: per(after.directoryCalls - before.directoryCalls),
      sqlStatements:
        after.sqlStatements === undefined
          ? undefined
          : per(after.sqlStatements - (before.sqlStatements ?? 0)),
      pushTokens: per(after.pushTokens - before.pushTokens),
    };
  }

  async function scenario(
    name: string,
    port: number,
    pool: number,
    next: (index: number) => HttpCall,
    used: () => number = () => 0,
  ): Promise<Row> {
    await runLoad({ port, concurrency, durationMs: warmUpMs, maxRequests: pool / 10, next });
    const result = await runLoad({
      port,
      concurrency,
      durationMs: measureMs,
      maxRequests: pool - used(),
      next,
    });
    return { name, result };
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
}

async function startPlanetScale(): Promise<string> {
  const mariadb = await startMariaDb({ databases: ['threads'] });
  cleanups.push(() => mariadb.stop());
  const simulator = await startPlanetScaleSimulator({
    mysql: {
      host: mariadb.host,
      port: mariadb.port,
      user: mariadb.user,
      password: mariadb.password,
      database: 'threads',
    },
    username: 'bench',
    password: 'bench-password',
  });
  cleanups.unshift(() => simulator.stop());
  const db = new Client({ url: simulator.url });
  await runMigrations(db);
  log('seeding the bench groups into MariaDB…');
  await seedDirectory(db, benchDirectoryData(pools));
  return simulator.url;
}

interface PerCall {
  /** Commands the control plane sent (each one round trip; a script is one). */
  roundTrips: Record<string, number>;
  /** Commands Redis ran inside those scripts. */
  inScripts: Record<string, number>;
  directoryCalls: number;
  sqlStatements: number | undefined;
  pushTokens: number;
}

interface Row {
  name: string;
  result: LoadResult;
  perCall?: PerCall;
}

function report(rows: Row[]): void {
  const fixed = (n: number, digits = 2) => n.toFixed(digits);
  console.log(
    `\ncontrol-plane benchmark: ${args.directory} directory, ${concurrency} concurrent clients, ` +
      `${args.seconds} s per scenario, node ${process.version}, loopback\n`,
  );
  console.log(
    `${'scenario'.padEnd(30)}${'requests'.padStart(10)}${'failed'.padStart(8)}${'req/s'.padStart(10)}` +
      `${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`,
  );
  for (const { name, result } of rows) {
    console.log(
      `${name.padEnd(30)}${String(result.requests).padStart(10)}${String(result.failures).padStart(8)}` +
        `${fixed(result.requests / result.seconds, 0).padStart(10)}` +
        `${fixed(percentile(result.latenciesMs, 50)).padStart(9)}${fixed(percentile(result.latenciesMs, 99)).padStart(9)}`,
    );
  }
  console.log('\nper POST /v1/calls:');
  for (const { name, perCall: per } of rows) {
    if (!per) continue;
    console.log(`  ${name}`);
    console.log(`    Redis round trips: ${tally(per.roundTrips)}`);
    console.log(`    (commands inside those scripts: ${tally(per.inScripts)})`);
    console.log(
      `    directory queries: ${fixed(per.directoryCalls)}` +
        (per.sqlStatements === undefined ? '' : ` (SQL statements: ${fixed(per.sqlStatements)})`),
    );
    console.log(`    push tokens handed to the push sender: ${fixed(per.pushTokens)}`);
  }
}

/** "4 (evalsha 1, publish 2, …)" */
function tally(perCommand: Record<string, number>): string {
  const total = Object.values(perCommand).reduce((sum, n) => sum + n, 0);
  const parts = Object.entries(perCommand)
    .sort(([, a], [, b]) => b - a)
    .map(([command, count]) => `${command} ${Number(count.toFixed(2))}`);
  return `${Number(total.toFixed(2))} (${parts.join(', ')})`;
}

function log(message: string): void {
  console.error(`[bench] ${message}`);
}

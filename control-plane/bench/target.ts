import { createServer } from 'node:http';
import { createAccessTokenVerifier } from '@groupcall/shared/auth';
import { RedisCallStateStore } from '@groupcall/shared/call-state';
import { InMemoryDirectory } from '@groupcall/shared/directory';
import { createLogger } from '@groupcall/shared/logging';
import { RedisPodRegistry } from '@groupcall/shared/placement';
import { createTicketSigner, generateTicketKeyPair, serviceTokenKey } from '@groupcall/shared/tickets';
import { fakePodRecord } from '@groupcall/testing';
import { createControlPlaneApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { PlanetScaleDirectory } from '../src/directory/planetscale-directory.ts';
import { redisReadiness } from '../src/health/redis-readiness.ts';
import { listen, portOf } from '../src/http-server.ts';
import { RedisRingDeadlines } from '../src/lifecycle/redis-ring-deadlines.ts';
import { Metrics } from '../src/metrics/metrics.ts';
import { RedisEmitterNotifier } from '../src/notify/redis-emitter-notifier.ts';
import { RedisOnlineUsersReader } from '../src/placement/redis-online-users.ts';
import { RedisPlacement } from '../src/placement/redis-placement.ts';
import type { PushMessage, PushSender } from '../src/push/push.ts';
import { createCallRateLimits } from '../src/rate-limits/rate-limit-stores.ts';
import { connectRedis, redisReady } from '../src/redis-connection.ts';
import { noCallEvents } from '../src/webhooks/call-events.ts';
import { benchDirectoryData } from './bench-groups.ts';
import { CountingDirectory } from './counting-directory.ts';
import type { TargetCounters, TargetReady, TargetSettings } from './target-protocol.ts';

/**
 * The servers under test, in their own process (so the load generator does
 * not share their event loop): a bare node:http hello world, and the control
 * plane wired as in production (Redis call state and emitter) with the
 * directory the parent chose. Pushes are counted, not sent: FCM is not
 * what this measures.
 */
const settings: TargetSettings = JSON.parse(process.env.BENCH_TARGET ?? '{}');
const logger = createLogger('control-plane-bench', 'warn');
const redis = connectRedis(settings.redisUrl, logger);
await redisReady(redis);

const planetScale = settings.databaseUrl
  ? new PlanetScaleDirectory({ url: settings.databaseUrl })
  : undefined;
const directory = new CountingDirectory(
  planetScale ?? new InMemoryDirectory(benchDirectoryData(settings.pools)),
);
let pushTokens = 0;
const push: PushSender = {
  send(messages: PushMessage[]) {
    for (const message of messages) pushTokens += message.tokens.length;
  },
};

const pods = new RedisPodRegistry(redis);
const registerPods = () =>
  Promise.all(['sfu-0', 'sfu-1'].map((name) => pods.publish(fakePodRecord(name, { capacity: 10_000_000 }))));
await registerPods();
// Pod records expire without heartbeats, as from real pods.
setInterval(() => void registerPods(), 2_000).unref();

const controlPlane = createControlPlaneApp({
  directory,
  push,
  // Production placement: two registered pods, big enough never to fill up during a run.
  placement: new RedisPlacement(redis, { log: logger }),
  notifier: new RedisEmitterNotifier(redis, logger),
  onlineUsers: new RedisOnlineUsersReader(redis),
  callState: new RedisCallStateStore(redis),
  ringDeadlines: new RedisRingDeadlines(redis),
  callEvents: noCallEvents,
  auth: createAccessTokenVerifier({ keys: { kind: 'shared-secret', secret: settings.accessTokenSecret } }),
  // The production limiter in Redis, with limits a run never reaches: its cost is measured, not its refusals.
  rateLimits: createCallRateLimits(
    { userRequestsPerMinute: 1e9, conversationRequestsPerMinute: 1e9, ringsPerMinute: 1e9 },
    { kind: 'redis', redis },
  ),
  tickets: createTicketSigner({ privateKey: generateTicketKeyPair().privateKey }),
  serviceTokenKey: serviceTokenKey(settings.podServiceSecret),
  clock: systemClock,
  logger,
  metrics: new Metrics({ processMetrics: false }),
  readiness: [redisReadiness(redis)],
  // Rings never time out during a run: only POST /v1/calls is measured.
  config: { ringTimeoutMs: 10 * 60_000, avatarBaseUrl: undefined },
});

const api = await listen(controlPlane.app.fetch, { host: '127.0.0.1', port: 0 });
const hello = createServer((_, response) => response.end('hello world'));
await new Promise<void>((resolve) => hello.listen(0, '127.0.0.1', resolve));

process.on('message', () => {
  const counters: TargetCounters = {
    directoryCalls: directory.queries,
    sqlStatements: planetScale?.queryCount,
    pushTokens,
  };
  process.send?.(counters);
});
// The benchmark stops us with SIGTERM; exit normally so --cpu-prof and the like can write their output.
process.on('SIGTERM', () => process.exit(0));
const ready: TargetReady = { apiPort: portOf(api), helloPort: portOf(hello) };
process.send?.(ready);

import { createAccessTokenVerifier } from '@groupcall/shared/auth';
import { RedisCallStateStore } from '@groupcall/shared/call-state';
import { type Directory, InMemoryDirectory, loadDirectoryData } from '@groupcall/shared/directory';
import type { Logger } from '@groupcall/shared/logging';
import { createTicketSigner } from '@groupcall/shared/tickets';
import { systemClock } from './clock.ts';
import type { ControlPlaneConfig } from './config.ts';
import type { ControlPlaneDeps } from './deps.ts';
import { PlanetScaleDirectory } from './directory/planetscale-directory.ts';
import { redisReadiness } from './health/redis-readiness.ts';
import { RedisRingDeadlines } from './lifecycle/redis-ring-deadlines.ts';
import { Metrics } from './metrics/metrics.ts';
import { RedisEmitterNotifier } from './notify/redis-emitter-notifier.ts';
import { RedisOnlineUsersReader } from './placement/redis-online-users.ts';
import { RedisPlacement } from './placement/redis-placement.ts';
import { FcmPushSender } from './push/fcm-push-sender.ts';
import { createFirebaseMessaging } from './push/firebase-messaging.ts';
import { LogPushSender } from './push/log-push-sender.ts';
import type { PushSender } from './push/push.ts';
import { createCallRateLimits } from './rate-limits/rate-limit-stores.ts';
import { closeRedis, connectQueueRedis, connectRedis } from './redis-connection.ts';
import { TurnCredentials } from './turn/turn-credentials.ts';
import { type CallEventPublisher, noCallEvents } from './webhooks/call-events.ts';
import { RedisCallEvents } from './webhooks/redis-call-events.ts';
import { WebhookSender } from './webhooks/webhook-sender.ts';

export interface ProductionAdapters {
  deps: ControlPlaneDeps;
  /** After the HTTP server stopped: lets queued pushes and a webhook under way go out, then closes connections. */
  close(timeoutMs: number): Promise<void>;
}

/** The standalone service's adapters, chosen by the configuration. */
export function productionAdapters(config: ControlPlaneConfig, logger: Logger): ProductionAdapters {
  const redis = connectRedis(config.redisUrl, logger);
  const metrics = new Metrics();

  let directory: Directory;
  let planetScale: PlanetScaleDirectory | undefined;
  if (config.databaseUrl) {
    planetScale = new PlanetScaleDirectory({ url: config.databaseUrl, timeoutMs: config.databaseTimeoutMs });
    directory = planetScale;
  } else {
    logger.warn(
      { directoryFile: config.directoryFile ?? 'demo data' },
      'no DATABASE_URL: using a JSON directory',
    );
    directory = new InMemoryDirectory(loadDirectoryData(config.directoryFile));
  }

  let push: PushSender;
  let fcm: { sender: FcmPushSender; close(): Promise<void> } | undefined;
  if (config.firebase) {
    const firebase = createFirebaseMessaging(config.firebase);
    // Dead tokens are pruned from the database; with the JSON directory they are only logged.
    const sender = new FcmPushSender({
      messaging: firebase.messaging,
      log: logger,
      tokenStore: planetScale,
      counters: metrics.push,
    });
    fcm = { sender, close: firebase.close };
    push = sender;
  } else {
    logger.warn('no Firebase credentials: pushes are logged, not sent');
    push = new LogPushSender(logger);
  }

  if (!config.auth.issuer || !config.auth.audience)
    logger.warn(
      'AUTH_ALLOW_MISSING_ISSUER_AUDIENCE: access tokens are not checked for an issuer or audience',
    );

  // Queued in Redis and delivered by every replica's worker: a restart loses no event.
  const callEvents: CallEventPublisher = config.webhooks
    ? new RedisCallEvents({
        redis,
        connect: () => connectQueueRedis(config.redisUrl, logger),
        sender: new WebhookSender(config.webhooks),
        retry: config.webhooks.retry,
        timeoutMs: config.webhooks.timeoutMs,
        clock: systemClock,
        log: logger,
      })
    : noCallEvents;

  const deps: ControlPlaneDeps = {
    directory,
    push,
    // The pods register themselves in Redis (heartbeats); calls go to the least-loaded.
    placement: new RedisPlacement(redis, { log: logger }),
    notifier: new RedisEmitterNotifier(redis, logger),
    onlineUsers: new RedisOnlineUsersReader(redis),
    callState: new RedisCallStateStore(redis, { expiryMs: config.callStateExpiryMs }),
    ringDeadlines: new RedisRingDeadlines(redis),
    callEvents,
    auth: createAccessTokenVerifier(config.auth),
    // In Redis: the limits hold for the service, however many replicas answer.
    rateLimits: createCallRateLimits(config.rateLimits, { kind: 'redis', redis }),
    tickets: createTicketSigner({
      privateKey: config.tickets.ticketPrivateKey,
      ttlSeconds: config.tickets.ttlSeconds,
    }),
    serviceTokenKey: config.tickets.serviceTokenKey,
    clock: systemClock,
    logger,
    metrics,
    readiness: [redisReadiness(redis)],
    config: { ...config.app, turn: config.turn && new TurnCredentials(config.turn, systemClock) },
  };

  return {
    deps,
    async close(timeoutMs) {
      if (fcm) {
        const flushed = await Promise.race([
          fcm.sender.idle().then(() => true),
          new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false).unref()),
        ]);
        if (!flushed) logger.warn({ timeoutMs }, 'stopping with pushes still in flight');
        await fcm.close();
      }
      await callEvents.close();
      await closeRedis(redis);
    },
  };
}

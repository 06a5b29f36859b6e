import { type KeyObject, randomBytes } from 'node:crypto';
import { type ControlPlane, createControlPlaneApp } from '@groupcall/control-plane/app';
import { systemClock } from '@groupcall/control-plane/clock';
import { InMemoryPlacement } from '@groupcall/control-plane/in-memory-placement';
import { Metrics } from '@groupcall/control-plane/metrics';
import type { PodEndpoint } from '@groupcall/control-plane/placement';
import type { PushSender } from '@groupcall/control-plane/push';
import { createCallRateLimits, rateLimitSettingsFromEnv } from '@groupcall/control-plane/rate-limits';
import { InMemoryRingDeadlines } from '@groupcall/control-plane/ring-deadlines';
import { TurnCredentials, type TurnSettings } from '@groupcall/control-plane/turn-credentials';
import {
  type CallEventPublisher,
  InProcessCallEvents,
  noCallEvents,
  type WebhookConfig,
  WebhookSender,
} from '@groupcall/control-plane/webhooks';
import { ControlPlaneClient } from '@groupcall/sfu-worker/composition';
import { InMemoryCallStateStore } from '@groupcall/shared/call-state';
import type { Directory } from '@groupcall/shared/directory';
import type { Logger } from '@groupcall/shared/logging';
import { InMemoryOnlineUsers } from '@groupcall/shared/presence';
import {
  createTicketSigner,
  generateTicketKeyPair,
  serviceTokenKey,
  signServiceToken,
} from '@groupcall/shared/tickets';
import { DevTokenIssuer } from './dev-tokens.ts';
import { LateNotifier } from './late-notifier.ts';

export const embeddedPodName = 'embedded';

export interface EmbeddedControlPlane {
  controlPlane: ControlPlane;
  /** Written by the sfu side, read by the control plane: who can ring without a push token. */
  onlineUsers: InMemoryOnlineUsers;
  /** Webhooks to the app backend, if configured; closed with the server. */
  callEvents: CallEventPublisher;
  /** The sfu side's client: the same one a production pod uses, over the in-process handler. */
  client: ControlPlaneClient;
  callState: InMemoryCallStateStore;
  /** The ticket verification key (the pair is made at start-up and never stored). */
  ticketKey: KeyObject;
  devTokens: DevTokenIssuer;
  notifier: LateNotifier;
  /** The single sfu endpoint the control plane hands out; its URL is known once the server listens. */
  endpoint: PodEndpoint;
}

/**
 * The control plane of the embedded default: the real app with in-memory
 * placement and call state, the demo directory, push to the log, tokens from
 * DevTokenIssuer, and secrets made at start-up.
 */
export function embeddedControlPlane(options: {
  directory: Directory;
  push: PushSender;
  log: Logger;
  avatarBaseUrl: string | undefined;
  ringTimeoutMs: number;
  /** TURN servers for admission answers (TURN_URLS, TURN_SECRET[_FILE]). */
  turn: TurnSettings | undefined;
  /** WEBHOOK_URL + WEBHOOK_SECRET[_FILE]: the same events as the service, queued in memory. */
  webhooks: WebhookConfig | undefined;
}): EmbeddedControlPlane {
  const tickets = generateTicketKeyPair();
  const serviceKey = serviceTokenKey(randomBytes(32));
  const devTokens = new DevTokenIssuer();
  const callState = new InMemoryCallStateStore();
  const notifier = new LateNotifier();
  const onlineUsers = new InMemoryOnlineUsers();
  const endpoint: PodEndpoint = { podName: embeddedPodName, url: 'http://127.0.0.1', path: '/socket.io' };
  const callEvents: CallEventPublisher = options.webhooks
    ? new InProcessCallEvents({
        sender: new WebhookSender(options.webhooks),
        retry: options.webhooks.retry,
        clock: systemClock,
        log: options.log,
      })
    : noCallEvents;
  const controlPlane = createControlPlaneApp({
    directory: options.directory,
    push: options.push,
    placement: new InMemoryPlacement([endpoint]),
    notifier,
    onlineUsers,
    callState,
    ringDeadlines: new InMemoryRingDeadlines(),
    callEvents,
    auth: devTokens.verifier,
    // One process: the counters stay in memory (the service keeps them in Redis).
    rateLimits: createCallRateLimits(rateLimitSettingsFromEnv(), { kind: 'memory' }),
    tickets: createTicketSigner({ privateKey: tickets.privateKey }),
    serviceTokenKey: serviceKey,
    clock: systemClock,
    logger: options.log,
    metrics: new Metrics(),
    readiness: [],
    config: {
      ringTimeoutMs: options.ringTimeoutMs,
      avatarBaseUrl: options.avatarBaseUrl,
      turn: options.turn && new TurnCredentials(options.turn, systemClock),
    },
  });
  const client = new ControlPlaneClient({
    baseUrl: 'http://control-plane.embedded',
    serviceToken: () => signServiceToken(serviceKey, embeddedPodName),
    fetch: ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      controlPlane.app.request(input instanceof Request ? input : String(input), init)) as typeof fetch,
  });
  return {
    controlPlane,
    callEvents,
    onlineUsers,
    client,
    callState,
    ticketKey: tickets.publicKey,
    devTokens,
    notifier,
    endpoint,
  };
}

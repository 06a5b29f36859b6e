import type { AccessTokenVerifier } from '@groupcall/shared/auth';
import type { CallStateStore } from '@groupcall/shared/call-state';
import type { UserNotifier } from '@groupcall/shared/calls';
import type { Directory } from '@groupcall/shared/directory';
import type { Logger } from '@groupcall/shared/logging';
import type { OnlineUsersReader } from '@groupcall/shared/presence';
import type { TicketSigner } from '@groupcall/shared/tickets';
import type { Clock } from './clock.ts';
import type { ReadinessCheck } from './health/readiness.ts';
import type { RingDeadlines } from './lifecycle/ring-deadlines.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { Placement } from './placement/placement.ts';
import type { PushSender } from './push/push.ts';
import type { CallRateLimits } from './rate-limits/call-rate-limits.ts';
import type { TurnCredentials } from './turn/turn-credentials.ts';
import type { CallEventPublisher } from './webhooks/call-events.ts';

/** Settings the request handlers need (the rest of the configuration builds the adapters). */
export interface AppConfig {
  /** How long members' devices ring before the call counts as missed for them. */
  ringTimeoutMs: number;
  /** Base URL for avatars stored as paths. */
  avatarBaseUrl: string | undefined;
  /** How often ring deadlines and lost pods are looked for (default 1 s). */
  sweepIntervalMs?: number;
  /** TURN credentials for admission answers; without them the answers carry no ICE servers. */
  turn?: TurnCredentials | undefined;
}

/**
 * Everything the control plane talks to, each behind an interface: main.ts
 * passes the production adapters, the embedded mode in-memory ones, tests
 * whatever they observe.
 */
export interface ControlPlaneDeps {
  directory: Directory;
  push: PushSender;
  placement: Placement;
  notifier: UserNotifier;
  /** Who has a device connected to signalling (with no push token, the others are unreachable). */
  onlineUsers: OnlineUsersReader;
  callState: CallStateStore;
  /** When each call's ringing times out; shared by every replica (Redis) in production. */
  ringDeadlines: RingDeadlines;
  auth: AccessTokenVerifier;
  tickets: TicketSigner;
  /** Call events for the app backend (webhooks; a Redis-backed queue in the service, in memory embedded). */
  callEvents: CallEventPublisher;
  /** Limits start, join and decline per user and conversation (Redis in the service, memory embedded). */
  rateLimits: CallRateLimits;
  /** Verifies the service tokens pods send to /internal (POD_SERVICE_SECRET: it cannot sign tickets). */
  serviceTokenKey: Uint8Array;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** What /readyz checks (Redis, …); empty in the embedded mode. */
  readiness: readonly ReadinessCheck[];
  config: AppConfig;
}

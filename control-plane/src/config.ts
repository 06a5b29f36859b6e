import { type AccessTokenConfig, accessTokenConfigFromEnv } from '@groupcall/shared/auth';
import { type ControlPlaneKeys, controlPlaneKeysFromEnv } from '@groupcall/shared/tickets';
import { z } from 'zod';
import type { AppConfig } from './deps.ts';
import { defaultDirectoryTimeoutMs } from './directory/planetscale-directory.ts';
import { type FirebaseMessagingOptions, firebaseOptionsFromEnv } from './push/firebase-messaging.ts';
import { type CallRateLimitSettings, rateLimitSettingsFromEnv } from './rate-limits/rate-limit-settings.ts';
import { type TurnSettings, turnSettingsFromEnv } from './turn/turn-credentials.ts';
import { type WebhookConfig, webhookConfigFromEnv } from './webhooks/webhook-settings.ts';

/** Everything main.ts needs, read from the environment once at start. */
export interface ControlPlaneConfig {
  host: string;
  port: number;
  redisUrl: string;
  auth: AccessTokenConfig;
  /** The Ed25519 ticket signing key, the pods' service token key, and how long tickets last. */
  tickets: ControlPlaneKeys & { ttlSeconds: number };
  /** The Threads database (PlanetScale HTTP URL); without it, the JSON directory below. */
  databaseUrl: string | undefined;
  /** Longest wait for one database request before answering 503. */
  databaseTimeoutMs: number;
  /** Directory JSON for running without a database (default: the demo data). */
  directoryFile: string | undefined;
  /** Firebase credentials (or, in tests, FCM_EMULATOR_URL); without them pushes are only logged. */
  firebase: FirebaseMessagingOptions | undefined;
  callStateExpiryMs: number;
  rateLimits: CallRateLimitSettings;
  /** After SIGTERM, in-flight requests get this long before connections are cut. */
  shutdownTimeoutMs: number;
  app: Omit<AppConfig, 'turn'>;
  /** TURN_URLS + TURN_SECRET[_FILE]: TURN servers in admission answers (undefined: none). */
  turn: TurnSettings | undefined;
  /** WEBHOOK_URL + WEBHOOK_SECRET[_FILE]: call events for the app backend (undefined: none). */
  webhooks: WebhookConfig | undefined;
}

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);

const EnvSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  REDIS_URL: z
    .string({
      error:
        'REDIS_URL is required: the control plane reaches sockets, call state and the sfu-worker pods ' +
        '(placement) through Redis',
    })
    .min(1),
  TICKET_TTL_SECONDS: seconds(120),
  DATABASE_URL: z.url().optional(),
  DIRECTORY_FILE: z.string().min(1).optional(),
  RING_TIMEOUT_SECONDS: seconds(45),
  CALL_STATE_EXPIRY_SECONDS: seconds(6 * 60 * 60),
  SHUTDOWN_TIMEOUT_SECONDS: seconds(25),
  AVATAR_BASE_URL: z.url().optional(),
  DATABASE_TIMEOUT_MS: z.coerce.number().int().positive().default(defaultDirectoryTimeoutMs),
});

/**
 * Reads the configuration, or throws saying what is wrong (every problem with
 * the plain variables at once), so a misconfigured pod explains itself in its
 * first log line. Secrets come inline or from mounted files:
 * AUTH_JWT_SECRET[_FILE], TICKET_PRIVATE_KEY[_FILE], POD_SERVICE_SECRET[_FILE], TURN_SECRET[_FILE],
 * WEBHOOK_SECRET[_FILE]; Firebase credentials as
 * firebaseOptionsFromEnv reads them (FIREBASE_SERVICE_ACCOUNT_FILE, …; FCM_EMULATOR_URL in tests).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ControlPlaneConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;

  return {
    host: e.HOST,
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    auth: accessTokenConfigFromEnv(env),
    tickets: { ...controlPlaneKeysFromEnv(env), ttlSeconds: e.TICKET_TTL_SECONDS },
    databaseUrl: e.DATABASE_URL,
    databaseTimeoutMs: e.DATABASE_TIMEOUT_MS,
    directoryFile: e.DIRECTORY_FILE,
    firebase: firebaseOptionsFromEnv(env),
    callStateExpiryMs: e.CALL_STATE_EXPIRY_SECONDS * 1000,
    rateLimits: rateLimitSettingsFromEnv(env),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    app: { ringTimeoutMs: e.RING_TIMEOUT_SECONDS * 1000, avatarBaseUrl: e.AVATAR_BASE_URL },
    turn: turnSettingsFromEnv(env),
    webhooks: webhookConfigFromEnv(env),
  };
}

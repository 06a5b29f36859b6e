import { createHmac } from 'node:crypto';
import { readSecret } from '@groupcall/shared/auth';
import type { IceServer } from '@groupcall/shared/protocol';
import { z } from 'zod';
import type { Clock } from '../clock.ts';

export interface TurnSettings {
  /** TURN URLs handed to clients, e.g. `turn:turn.example.com:3478?transport=udp`, `turns:turn.example.com:443?transport=tcp`. */
  urls: string[];
  /** Shared with the TURN server (coturn `static-auth-secret`). */
  secret: string;
  /** How long a credential is valid. */
  ttlSeconds: number;
}

/**
 * Short-lived TURN credentials in the TURN REST API scheme that coturn
 * implements (`use-auth-secret`): the username is `<expiry unix time>:<userId>`
 * and the password is base64(HMAC-SHA1(secret, username)). The TURN server
 * checks both with the shared secret alone, so no per-user state is kept
 * anywhere, and a leaked credential stops working at its expiry.
 */
export class TurnCredentials {
  readonly #settings: TurnSettings;
  readonly #clock: Clock;

  constructor(settings: TurnSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  /** The ICE servers for one user's admission answer. */
  iceServersFor(userId: string): IceServer[] {
    const expiry = Math.floor(this.#clock.now() / 1000) + this.#settings.ttlSeconds;
    const username = `${expiry}:${userId}`;
    const credential = createHmac('sha1', this.#settings.secret).update(username).digest('base64');
    return [{ urls: [...this.#settings.urls], username, credential }];
  }
}

const TurnEnvSchema = z.object({
  TURN_URLS: z.string().optional(),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(6 * 3600),
});

/**
 * TURN settings from the environment: TURN_URLS (comma-separated) and
 * TURN_SECRET or TURN_SECRET_FILE, both or neither; undefined when TURN is not
 * configured (admission answers then carry no ICE servers).
 */
export function turnSettingsFromEnv(env: Record<string, string | undefined>): TurnSettings | undefined {
  const parsed = TurnEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid TURN configuration: ${z.prettifyError(parsed.error)}`);
  const urls = (parsed.data.TURN_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  const secret = readSecret({ name: 'TURN_SECRET', value: env.TURN_SECRET, file: env.TURN_SECRET_FILE });
  if (urls.length === 0 && !secret) return undefined;
  if (urls.length === 0)
    throw new Error('TURN_SECRET is set but TURN_URLS is not: clients would get no TURN server');
  if (!secret) throw new Error('TURN_URLS is set but TURN_SECRET (or TURN_SECRET_FILE) is not');
  const bad = urls.find((url) => !/^turns?:[^\s]+$/.test(url));
  if (bad) throw new Error(`TURN_URLS: "${bad}" is not a turn: or turns: URL`);
  return { urls, secret, ttlSeconds: parsed.data.TURN_CREDENTIAL_TTL_SECONDS };
}

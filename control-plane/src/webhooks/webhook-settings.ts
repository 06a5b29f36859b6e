import { readSecret } from '@groupcall/shared/auth';
import { z } from 'zod';
import type { RetryPolicy } from '../push/retry-backoff.ts';
import type { WebhookSettings } from './webhook-sender.ts';

export interface WebhookConfig extends WebhookSettings {
  /** Attempts per event (the first included) and the exponential backoff between them. */
  retry: RetryPolicy;
}

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);

const WebhookEnvSchema = z.object({
  WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  WEBHOOK_TIMEOUT_SECONDS: seconds(10),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
  WEBHOOK_RETRY_BASE_SECONDS: seconds(5),
  WEBHOOK_RETRY_MAX_SECONDS: seconds(3600),
});

/** A Standard Webhooks secret: `whsec_` and a base64 key of at least 24 bytes. */
const secretPattern = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/**
 * Webhook settings from the environment: WEBHOOK_URL and WEBHOOK_SECRET (or
 * WEBHOOK_SECRET_FILE), both or neither; undefined without them (no webhooks).
 * With the defaults a failing event is tried 15 times over about 9 hours.
 */
export function webhookConfigFromEnv(env: Record<string, string | undefined>): WebhookConfig | undefined {
  const parsed = WebhookEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid webhook configuration: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const secret = readSecret({
    name: 'WEBHOOK_SECRET',
    value: env.WEBHOOK_SECRET,
    file: env.WEBHOOK_SECRET_FILE,
  });
  if (!e.WEBHOOK_URL && !secret) return undefined;
  if (!e.WEBHOOK_URL) throw new Error('WEBHOOK_SECRET is set but WEBHOOK_URL is not');
  if (!secret) throw new Error('WEBHOOK_URL is set but WEBHOOK_SECRET (or WEBHOOK_SECRET_FILE) is not');
  if (!secretPattern.test(secret))
    throw new Error('WEBHOOK_SECRET must be "whsec_" followed by a base64 key of at least 24 bytes');
  return {
    url: e.WEBHOOK_URL,
    secret,
    timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
    retry: {
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      baseDelayMs: e.WEBHOOK_RETRY_BASE_SECONDS * 1000,
      maxDelayMs: e.WEBHOOK_RETRY_MAX_SECONDS * 1000,
    },
  };
}

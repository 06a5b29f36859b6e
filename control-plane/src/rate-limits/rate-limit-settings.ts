import { z } from 'zod';

/** Requests per minute; see README "Security" for why each default is what it is. */
export interface CallRateLimitSettings {
  /** One user's start, join and decline requests together, over all conversations. */
  userRequestsPerMinute: number;
  /** Everybody's start, join and decline requests in one conversation. */
  conversationRequestsPerMinute: number;
  /** How often one user may start (ring) one conversation, however the calls end. */
  ringsPerMinute: number;
}

export const defaultCallRateLimitSettings: CallRateLimitSettings = {
  userRequestsPerMinute: 30,
  conversationRequestsPerMinute: 300,
  ringsPerMinute: 3,
};

const perMinute = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const RateLimitEnvSchema = z.object({
  RATE_LIMIT_USER_REQUESTS_PER_MINUTE: perMinute(defaultCallRateLimitSettings.userRequestsPerMinute),
  RATE_LIMIT_CONVERSATION_REQUESTS_PER_MINUTE: perMinute(
    defaultCallRateLimitSettings.conversationRequestsPerMinute,
  ),
  RATE_LIMIT_RINGS_PER_MINUTE: perMinute(defaultCallRateLimitSettings.ringsPerMinute),
});

/** The call rate limits from the environment: the service and the embedded default read the same variables. */
export function rateLimitSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CallRateLimitSettings {
  const parsed = RateLimitEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    userRequestsPerMinute: e.RATE_LIMIT_USER_REQUESTS_PER_MINUTE,
    conversationRequestsPerMinute: e.RATE_LIMIT_CONVERSATION_REQUESTS_PER_MINUTE,
    ringsPerMinute: e.RATE_LIMIT_RINGS_PER_MINUTE,
  };
}

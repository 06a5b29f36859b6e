import { CallError } from '@groupcall/shared/calls';
import { isRedisOutage } from './redis-outage.ts';

/** Sent with every 503: how long clients wait before retrying (Redis reconnects within about that). */
export const retryAfterSeconds = 2;

/**
 * What a handler's error means for the client: CallErrors say so
 * themselves; a Redis outage is 'unavailable' (keeping the Redis error as
 * its cause, for the log); anything else is a bug (undefined).
 */
export function expectedFailure(error: unknown): CallError | undefined {
  if (error instanceof CallError) return error;
  if (!isRedisOutage(error)) return undefined;
  const unavailable = new CallError(
    'unavailable',
    'The call service is temporarily unavailable, try again shortly',
  );
  unavailable.cause = error;
  return unavailable;
}

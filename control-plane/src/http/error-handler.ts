import type { ApiErrorCode } from '@groupcall/shared/protocol';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { RateLimitedError } from '../rate-limits/call-rate-limits.ts';
import { apiErrorBody, apiErrorStatus } from './api-error.ts';
import type { AppEnv } from './app-env.ts';
import { expectedFailure, retryAfterSeconds } from './failure.ts';

/**
 * Turns whatever a handler threw into a JSON error. CallErrors carry their
 * own code and client-safe message, and a Redis outage answers 503
 * 'unavailable'; both with Retry-After when the client should retry.
 * Anything else is our bug: the client gets a generic 500 and the log gets
 * the stack.
 */
export const errorHandler: ErrorHandler<AppEnv> = (error, c) => {
  const failure = expectedFailure(error);
  if (failure) {
    if (failure.code === 'unauthenticated') c.header('WWW-Authenticate', 'Bearer');
    if (failure.code === 'unavailable') c.header('Retry-After', String(retryAfterSeconds));
    if (failure instanceof RateLimitedError) c.header('Retry-After', String(failure.retryAfterSeconds));
    return c.json(apiErrorBody(failure.code, failure.message, failure.details), apiErrorStatus[failure.code]);
  }
  // Hono's own 4xx (a malformed request it could not even route).
  if (error instanceof HTTPException && error.status < 500) {
    return c.json(apiErrorBody('invalid-request', error.message || 'Invalid request'), error.status);
  }
  c.var.log.error({ err: error }, 'request failed with an unexpected error');
  return respond(c, 'internal', 'Internal server error');
};

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  respond(c, 'not-found', `No route for ${c.req.method} ${c.req.path}`);

function respond(c: Context<AppEnv>, code: ApiErrorCode, message: string): Response {
  return c.json(apiErrorBody(code, message), apiErrorStatus[code]);
}

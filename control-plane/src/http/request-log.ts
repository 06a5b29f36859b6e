import { AuthError } from '@groupcall/shared/auth';
import type { Logger } from '@groupcall/shared/logging';
import { ServiceTokenError } from '@groupcall/shared/tickets';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { expectedFailure } from './failure.ts';
import { routeLabel } from './route-label.ts';

/** Paths polled by Kubernetes and Prometheus: logged only at debug level. */
const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One JSON log line per request: method, path, route, status, duration, and
 * for refusals the error code (and for refused tokens exactly why). The
 * request id is bound to `c.var.log`, so handler logs carry it too; the auth
 * middleware binds the userId.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    c.set('log', logger.child({ requestId: c.var.requestId }));
    await next();

    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      route: routeLabel(c),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...failureFields(c.error),
    };
    const log = c.var.log;
    // Probes repeat every few seconds: a failing /readyz during an outage
    // would bury everything else (the dependency's own errors are logged).
    if (quietPaths.has(c.req.path)) log.debug(line, 'request');
    else if (status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}

function failureFields(error: Error | undefined): Record<string, string> {
  if (error instanceof AuthError || error instanceof ServiceTokenError)
    return {
      errorCode: error.code,
      authFailure: error.failure,
      ...(error.detail && { detail: error.detail }),
    };
  const failure = expectedFailure(error);
  if (!failure) return {};
  const fields: Record<string, string> = { errorCode: failure.code, errorMessage: failure.message };
  // A dependency failure (Redis down, key set unreachable, …) keeps its cause: the part on-call needs.
  if (failure.cause instanceof Error) fields.cause = `${failure.cause.name}: ${failure.cause.message}`;
  return fields;
}

import type { MiddlewareHandler } from 'hono';
import { routeLabel } from '../http/route-label.ts';
import type { Metrics } from './metrics.ts';

/** Counts and times every request by method, route pattern and status. */
export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const stopTimer = metrics.httpRequestDuration.startTimer();
    await next();
    const labels = { method: c.req.method, route: routeLabel(c), status: String(c.res.status) };
    stopTimer(labels);
    metrics.httpRequests.inc(labels);
  };
}

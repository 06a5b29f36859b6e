import { Hono } from 'hono';
import type { SfuMetrics } from '../metrics/sfu-metrics.ts';

/** GET /metrics in the Prometheus text format. */
export function metricsRoutes(metrics: SfuMetrics): Hono {
  return new Hono().get('/metrics', async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
}

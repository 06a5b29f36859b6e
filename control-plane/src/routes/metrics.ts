import { Hono } from 'hono';
import type { Metrics } from '../metrics/metrics.ts';

/** GET /metrics: Prometheus text format. */
export function metricsRouter(metrics: Metrics): Hono {
  const router = new Hono();
  router.get('/metrics', async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
  return router;
}

import { Hono } from 'hono';
import { checkReadiness, type ReadinessCheck } from '../health/readiness.ts';

/**
 * GET /healthz: the process is alive (no dependency is consulted, so a Redis
 * outage never gets replicas restarted). GET /readyz: the dependencies answer
 * and the replica is not draining; load balancers send traffic only then.
 */
export function healthRouter(checks: readonly ReadinessCheck[], isDraining: () => boolean): Hono {
  const router = new Hono();
  router.get('/healthz', (c) => c.json({ status: 'ok' }));
  router.get('/readyz', async (c) => {
    if (isDraining()) return c.json({ status: 'draining', checks: {} }, 503);
    const { ready, checks: results } = await checkReadiness(checks);
    return c.json({ status: ready ? 'ready' : 'not-ready', checks: results }, ready ? 200 : 503);
  });
  return router;
}

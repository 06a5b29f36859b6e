import { Hono } from 'hono';

export interface HealthProbe {
  /** Ready for new calls (readiness); liveness only needs the process to answer. */
  ready(): boolean;
}

/** Liveness never depends on anything outside the process; readiness says whether to send new calls here. */
export function healthRoutes(probe: HealthProbe): Hono {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', (c) =>
      probe.ready() ? c.json({ status: 'ready' }) : c.json({ status: 'not-ready' }, 503),
    );
}

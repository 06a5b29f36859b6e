import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { ControlPlaneDeps } from './deps.ts';
import { apiErrorBody } from './http/api-error.ts';
import type { AppEnv } from './http/app-env.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { requestLog } from './http/request-log.ts';
import { CallSweeper } from './lifecycle/call-sweeper.ts';
import { httpMetrics } from './metrics/http-metrics.ts';
import { callsRouter } from './routes/calls.ts';
import { healthRouter } from './routes/health.ts';
import { internalCallsRouter } from './routes/internal-calls.ts';
import { metricsRouter } from './routes/metrics.ts';
import { openApiRouter } from './routes/openapi.ts';

export interface ControlPlane {
  /** The HTTP API; serve it, or mount it in the embedded single-process mode. */
  app: Hono<AppEnv>;
  /** From now on /readyz answers 503, so load balancers stop sending requests here. */
  startDraining(): void;
  /**
   * Stops sweeping ring deadlines and lost calls (they stay in the store for
   * the other replicas). Call once the HTTP server has finished its in-flight requests.
   */
  close(): Promise<void>;
}

/** Request bodies are a few ids; anything bigger is a mistake or an attack. */
const maxBodyBytes = 16 * 1024;

export function createControlPlaneApp(deps: ControlPlaneDeps): ControlPlane {
  const log = deps.logger;
  const sweeper = new CallSweeper(deps, { pollMs: deps.config.sweepIntervalMs });
  sweeper.start();
  let draining = false;

  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(requestLog(log));
  app.use(httpMetrics(deps.metrics));
  deps.metrics.watchDependencies(deps.readiness);
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: (c) =>
      c.json(apiErrorBody('payload-too-large', `Request body is larger than ${maxBodyBytes} bytes`), 413),
  });
  app.use('/v1/*', limitBody);
  app.use('/internal/*', limitBody);

  app.route(
    '/',
    healthRouter(deps.readiness, () => draining),
  );
  app.route('/', metricsRouter(deps.metrics));
  app.route('/', openApiRouter());
  app.route('/v1/calls', callsRouter(deps));
  // For sfu-worker pods only (service token); not in /openapi.json.
  app.route('/internal/v1/calls', internalCallsRouter(deps));

  app.onError(errorHandler);
  app.notFound(notFoundHandler);

  return {
    app,
    startDraining: () => {
      draining = true;
    },
    close: () => sweeper.close(),
  };
}

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { checkReadiness, type ReadinessCheck } from '../health/readiness.ts';
import { failureKinds } from '../push/fcm-errors.ts';
import type { PushCounters } from './push-counters.ts';

/**
 * The control plane's Prometheus metrics, in a registry of its own (not
 * prom-client's global one) so several apps in one process — tests, the
 * embedded mode — never share or clash.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'groupcall_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: 'groupcall_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    // Most answers take a few ms; directory reads and big groups push the tail.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly callsStarted = new Counter({
    name: 'groupcall_calls_started_total',
    help: 'Calls started through POST /v1/calls (not counting requests that joined an active call).',
    registers: [this.registry],
  });

  readonly ringStops = new Counter({
    name: 'groupcall_ring_stops_total',
    help: 'Members told to stop ringing, by reason (declined, answered, ended, missed).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly #pushSent = new Counter({
    name: 'groupcall_push_sent_total',
    help: 'Push messages accepted by the push service, per device token.',
    registers: [this.registry],
  });

  readonly #pushFailed = new Counter({
    name: 'groupcall_push_failed_total',
    help: 'Push messages that failed, per device token, by reason (dead-token, permanent, transient after retries).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly #tokensPruned = new Counter({
    name: 'groupcall_push_tokens_pruned_total',
    help: 'Dead push tokens removed from the directory.',
    registers: [this.registry],
  });

  /** Hand this to the PushSender. */
  readonly push: PushCounters = {
    sent: (count) => this.#pushSent.inc(count),
    failed: (count, reason) => this.#pushFailed.inc({ reason }, count),
    tokensPruned: (count) => this.#tokensPruned.inc(count),
  };

  #dependencies: Gauge<'dependency'> | undefined;

  constructor(options: { processMetrics?: boolean } = {}) {
    // CPU, memory, event-loop lag, GC: worth having in production; tests and
    // benchmarks that build many apps turn it off.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Every reason from the start, so rate() and increase() see the first failure.
    for (const reason of failureKinds) this.#pushFailed.inc({ reason }, 0);
  }

  /**
   * groupcall_dependency_up{dependency}: whether each readiness check (Redis,
   * …) passes when scraped, the same checks /readyz runs, so an alert can say
   * which dependency is gone. Once per registry.
   */
  watchDependencies(checks: readonly ReadinessCheck[]): void {
    if (this.#dependencies || checks.length === 0) return;
    this.#dependencies = new Gauge({
      name: 'groupcall_dependency_up',
      help: 'Whether a dependency (redis) answered its readiness check when scraped: 1 yes, 0 no.',
      labelNames: ['dependency'] as const,
      registers: [this.registry],
      async collect() {
        const { checks: results } = await checkReadiness(checks);
        for (const [dependency, result] of Object.entries(results))
          this.set({ dependency }, result === 'ok' ? 1 : 0);
      },
    });
  }
}

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MediaWorkerPool } from '../media/media-worker-pool.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import { CallMetrics } from './call-metrics.ts';

/** How a signalling request ended, as counted in groupcall_sfu_requests_total. */
export type RequestOutcome = 'ok' | 'invalid' | 'refused' | 'failed';

export interface RequestObserver {
  observe(event: string, outcome: RequestOutcome, seconds: number): void;
}

/**
 * The pod's Prometheus metrics (GET /metrics), in a registry of its own so
 * several servers in one process (tests, the embedded default) never clash.
 * Load gauges are read from the rooms when scraped, never kept twice.
 */
export class SfuMetrics implements RequestObserver {
  readonly registry = new Registry();

  readonly #requests = new Counter({
    name: 'groupcall_sfu_requests_total',
    help: 'Signalling requests by event and outcome (ok, invalid payload, refused by a rule, failed in mediasoup).',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly #duration = new Histogram({
    name: 'groupcall_sfu_request_duration_seconds',
    help: 'Time to answer signalling requests, by event.',
    labelNames: ['event'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Call quality, join latency and call duration. */
  readonly calls = new CallMetrics(this.registry);

  readonly workerDeaths = new Counter({
    name: 'groupcall_sfu_worker_deaths_total',
    help: 'mediasoup Workers that died (each is replaced; its calls are interrupted and rejoin).',
    registers: [this.registry],
  });

  constructor(options: {
    rooms: RoomRegistry;
    media: MediaWorkerPool;
    connections: () => number;
    draining: () => boolean;
    /** What /readyz answers: the pod takes new calls. */
    ready: () => boolean;
  }) {
    const { rooms, media } = options;
    const participants = () => rooms.rooms.flatMap((room) => room.participants);
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge('groupcall_sfu_calls', 'Calls (media rooms) hosted on this pod.', () => rooms.rooms.length);
    gauge('groupcall_sfu_participants', 'Devices in calls on this pod.', () => participants().length);
    gauge('groupcall_sfu_producers', 'Media tracks sent to this pod.', () =>
      participants().reduce((sum, p) => sum + p.producers.length, 0),
    );
    gauge('groupcall_sfu_consumers', 'Media tracks this pod forwards to devices.', () =>
      participants().reduce((sum, p) => sum + p.consumerCount, 0),
    );
    gauge('groupcall_sfu_socket_connections', 'Connected Socket.IO clients.', options.connections);
    gauge(
      'groupcall_sfu_mediasoup_workers',
      'Live mediasoup Workers.',
      () => media.workers.filter((w) => !w.closed).length,
    );
    gauge('groupcall_sfu_draining', '1 while the pod drains after SIGTERM.', () =>
      options.draining() ? 1 : 0,
    );
    gauge(
      'groupcall_sfu_ready',
      '1 while the pod takes new calls (what /readyz answers: registered, not draining, a live Worker).',
      () => (options.ready() ? 1 : 0),
    );
    // prom-client's default names (process_*, nodejs_*), as the control plane: one dashboard for
    // both services, the job label tells them apart.
    collectDefaultMetrics({ register: this.registry });
    media.on('workerReplaced', () => this.workerDeaths.inc());
  }

  observe(event: string, outcome: RequestOutcome, seconds: number): void {
    this.#requests.inc({ event, outcome });
    this.#duration.observe({ event }, seconds);
  }
}

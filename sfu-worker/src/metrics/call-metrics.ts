import { Histogram, type Registry } from 'prom-client';

/** What signalling and call endings report about calls, for /metrics. */
export interface CallObserver {
  /** A device's join took this long: its createRoom arrived, then its first consumer was resumed. */
  joined(seconds: number): void;
  /** A call ended on this pod after its room had been open this long. */
  ended(seconds: number): void;
}

/** Which leg a sampled stream or transport carries: device → pod (inbound) or pod → device (outbound). */
export type MediaDirection = 'inbound' | 'outbound';
export type StreamLabels = { direction: MediaDirection; kind: string };

/**
 * How calls on this pod go, as a user would notice: packet loss, round-trip
 * time, jitter and bitrate of the media (sampled from mediasoup's stats by a
 * CallQualitySampler), how long a device takes to get its first media, and
 * how long calls last.
 */
export class CallMetrics implements CallObserver {
  readonly packetLoss: Histogram<'direction' | 'kind'>;
  readonly roundTripTime: Histogram<'direction' | 'kind'>;
  readonly jitter: Histogram<'direction' | 'kind'>;
  readonly streamBitrate: Histogram<'direction' | 'kind'>;
  readonly transportBitrate: Histogram<'direction'>;
  readonly #joinLatency: Histogram;
  readonly #callDuration: Histogram;

  constructor(registry: Registry) {
    const streams = ['direction', 'kind'] as const;
    this.packetLoss = new Histogram({
      name: 'groupcall_sfu_packet_loss_ratio',
      help: 'Fraction of RTP packets lost per media stream and sample (RTCP fraction lost): inbound measured by the pod, outbound as devices report it.',
      labelNames: streams,
      // 0 is its own bucket (most samples); audio suffers from 2-5 %, video from 10 %.
      buckets: [0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
      registers: [registry],
    });
    this.roundTripTime = new Histogram({
      name: 'groupcall_sfu_round_trip_time_seconds',
      help: 'RTCP round-trip time between the pod and devices, per media stream and sample (streams without a measurement skipped).',
      labelNames: streams,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2],
      registers: [registry],
    });
    this.jitter = new Histogram({
      name: 'groupcall_sfu_jitter_seconds',
      help: 'Interarrival jitter of the media devices send, as the pod receives it, per stream and sample.',
      labelNames: streams,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5],
      registers: [registry],
    });
    this.streamBitrate = new Histogram({
      name: 'groupcall_sfu_stream_bitrate_bits_per_second',
      help: 'Bitrate of each media stream the pod receives (inbound) or forwards (outbound), per sample; paused streams skipped.',
      labelNames: streams,
      // Opus speech ~16-64 kbit/s; video 100 kbit/s to a few Mbit/s.
      buckets: [16e3, 32e3, 64e3, 128e3, 256e3, 512e3, 1e6, 2e6, 4e6, 8e6],
      registers: [registry],
    });
    this.transportBitrate = new Histogram({
      name: 'groupcall_sfu_transport_bitrate_bits_per_second',
      help: "A device's total bitrate per sample: what its send transport brings in (inbound), what its receive transport carries out (outbound).",
      labelNames: ['direction'] as const,
      buckets: [32e3, 64e3, 128e3, 256e3, 512e3, 1e6, 2e6, 4e6, 8e6, 16e6, 32e6],
      registers: [registry],
    });
    this.#joinLatency = new Histogram({
      name: 'groupcall_sfu_join_latency_seconds',
      help: "Per device: from its createRoom arriving to its first consumer resumed (for the call's first device this includes waiting for another's media).",
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120],
      registers: [registry],
    });
    this.#callDuration = new Histogram({
      name: 'groupcall_sfu_call_duration_seconds',
      help: "How long calls lasted, observed when one ends on this pod (its room's lifetime here).",
      buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400],
      registers: [registry],
    });
  }

  joined(seconds: number): void {
    this.#joinLatency.observe(seconds);
  }

  ended(seconds: number): void {
    this.#callDuration.observe(seconds);
  }
}

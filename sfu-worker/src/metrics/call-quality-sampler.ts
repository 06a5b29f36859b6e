import type { Logger } from '@groupcall/shared/logging';
import type { types } from 'mediasoup';
import type { TransportData } from '../rooms/participant.ts';
import type { CallMetrics, StreamLabels } from './call-metrics.ts';

/** The mediasoup objects of one device in a call (a Participant), as far as sampling reads them. */
export interface SampledDevice {
  readonly transports: readonly types.WebRtcTransport<TransportData>[];
  readonly producers: readonly types.Producer[];
  readonly consumers: readonly types.Consumer[];
}

/** RTCP's fraction lost is an 8-bit fixed-point fraction (lost / 256). */
const FRACTION_LOST_SCALE = 256;

/**
 * Reads mediasoup's stats of every transport, producer and consumer on this
 * pod on a timer and feeds the call-quality histograms. The cost stays
 * bounded: one device's objects are asked at a time, and a tick is skipped
 * while the previous sample still runs (a busy Worker answers slowly).
 */
export class CallQualitySampler {
  readonly #devices: () => Iterable<SampledDevice>;
  readonly #metrics: CallMetrics;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  /** `devices`: every device in a call on this pod, read afresh at each sample. */
  constructor(options: { devices: () => Iterable<SampledDevice>; metrics: CallMetrics; log: Logger }) {
    this.#devices = options.devices;
    this.#metrics = options.metrics;
    this.#log = options.log.child({ component: 'call-quality' });
  }

  /** Samples every `intervalMs`; 0 turns sampling off. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.sample(), intervalMs);
    // Sampling must not keep a stopping process alive.
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One sample of every call on the pod; false if skipped because the previous one still runs. */
  async sample(): Promise<boolean> {
    if (this.#running) return false;
    this.#running = true;
    try {
      for (const device of this.#devices()) await this.#sampleDevice(device);
    } catch (error) {
      this.#log.warn({ err: error }, 'call quality sample failed');
    } finally {
      this.#running = false;
    }
    return true;
  }

  async #sampleDevice(device: SampledDevice): Promise<void> {
    // An object may close while it is asked (its device left): its stats are simply missing.
    const ignoreClosed = () => undefined;
    await Promise.all([
      ...device.transports.map((t) => this.#sampleTransport(t).catch(ignoreClosed)),
      ...device.producers.map((p) => this.#sampleProducer(p).catch(ignoreClosed)),
      ...device.consumers.map((c) => this.#sampleConsumer(c).catch(ignoreClosed)),
    ]);
  }

  async #sampleTransport(transport: types.WebRtcTransport<TransportData>): Promise<void> {
    if (transport.closed || transport.dtlsState !== 'connected') return;
    const [stat] = await transport.getStats();
    if (!stat) return;
    if (transport.appData.direction === 'send')
      this.#metrics.transportBitrate.observe({ direction: 'inbound' }, stat.recvBitrate);
    else this.#metrics.transportBitrate.observe({ direction: 'outbound' }, stat.sendBitrate);
  }

  /** What a device sends, as the pod receives it (one stream per simulcast layer). */
  async #sampleProducer(producer: types.Producer): Promise<void> {
    if (producer.closed || producer.paused) return;
    const labels: StreamLabels = { direction: 'inbound', kind: producer.kind };
    for (const stat of await producer.getStats()) {
      if (stat.type !== 'inbound-rtp') continue;
      this.#observeStream(labels, stat);
      const codec = producer.rtpParameters.codecs.find(
        (c) => c.mimeType.toLowerCase() === stat.mimeType.toLowerCase(),
      );
      // mediasoup gives jitter in RTP timestamp units of the stream's clock.
      if (codec) this.#metrics.jitter.observe(labels, stat.jitter / codec.clockRate);
    }
  }

  /** What the pod forwards to a device, with loss and RTT from the device's receiver reports. */
  async #sampleConsumer(consumer: types.Consumer): Promise<void> {
    if (consumer.closed || consumer.paused || consumer.producerPaused) return;
    const labels: StreamLabels = { direction: 'outbound', kind: consumer.kind };
    for (const stat of await consumer.getStats())
      if (stat.type === 'outbound-rtp') this.#observeStream(labels, stat);
  }

  #observeStream(
    labels: StreamLabels,
    stat: { fractionLost: number; bitrate: number; roundTripTime?: number },
  ): void {
    this.#metrics.packetLoss.observe(labels, stat.fractionLost / FRACTION_LOST_SCALE);
    this.#metrics.streamBitrate.observe(labels, stat.bitrate);
    // 0 until an RTCP report measured it.
    if (stat.roundTripTime) this.#metrics.roundTripTime.observe(labels, stat.roundTripTime / 1000);
  }
}

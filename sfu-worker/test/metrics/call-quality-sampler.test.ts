import { createSocket, type Socket } from 'node:dgram';
import { createLogger } from '@groupcall/shared/logging';
import type { types } from 'mediasoup';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerMediaCodecs } from '../../src/media/codecs.ts';
import { loadMediasoup } from '../../src/media/worker-binary.ts';
import { CallMetrics } from '../../src/metrics/call-metrics.ts';
import { CallQualitySampler, type SampledDevice } from '../../src/metrics/call-quality-sampler.ts';

/**
 * The sampler against a real mediasoup Worker: a device's audio arrives as
 * real RTP over UDP (20 ms Opus frames, one packet in eight never sent), and
 * the histograms must show it in their units: loss as a share of packets,
 * jitter in seconds, bitrate in bit/s.
 */

const SSRC = 0x1234_5678;
const PAYLOAD_TYPE = 100;

let worker: types.Worker;
let transport: types.PlainTransport;
let producer: types.Producer;
let sender: Socket;
let timer: NodeJS.Timeout | undefined;

beforeAll(async () => {
  const mediasoup = await loadMediasoup();
  worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const router = await worker.createRouter({ mediaCodecs: routerMediaCodecs });
  // comedia: the transport learns the sender's address from its first packet.
  transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
  producer = await transport.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType: PAYLOAD_TYPE, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc: SSRC }],
    },
  });
  sender = createSocket('udp4');
});

afterAll(() => {
  clearInterval(timer);
  sender?.close();
  worker?.close();
});

/** Opus-sized RTP packets every 20 ms to the transport, skipping every eighth sequence number. */
function sendAudioWithLoss(): void {
  let seq = 0;
  const payload = Buffer.alloc(120, 0xab);
  timer = setInterval(() => {
    seq++;
    if (seq % 8 === 0) return; // lost on the way: 12.5 %
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = PAYLOAD_TYPE;
    header.writeUInt16BE(seq & 0xffff, 2);
    header.writeUInt32BE((seq * 960) >>> 0, 4);
    header.writeUInt32BE(SSRC, 8);
    sender.send(Buffer.concat([header, payload]), transport.tuple.localPort, '127.0.0.1');
  }, 20);
}

/** A histogram's observations: count, sum, and how many fell at or below each bucket bound. */
async function observed(histogram: CallMetrics['packetLoss']) {
  const { values } = await histogram.get();
  const total = (suffix: string) =>
    values.filter((v) => v.metricName?.endsWith(suffix)).reduce((sum, v) => sum + v.value, 0);
  const upTo = (le: number) =>
    values
      .filter((v) => v.metricName?.endsWith('_bucket') && (v.labels as { le?: number }).le === le)
      .reduce((s, v) => s + v.value, 0);
  return { count: total('_count'), sum: total('_sum'), upTo };
}

describe('CallQualitySampler', () => {
  it('turns mediasoup stats of real RTP into loss shares, jitter seconds and bits per second', async () => {
    const metrics = new CallMetrics(new Registry());
    const device: SampledDevice = { transports: [], producers: [producer], consumers: [] };
    const sampler = new CallQualitySampler({
      devices: () => [device],
      metrics,
      log: createLogger('test', 'error'),
    });
    sendAudioWithLoss();

    // mediasoup computes the fraction lost with each RTCP report (every few seconds for audio):
    // sample until one shows the 12.5 % (32/256), i.e. in the (10 %, 20 %] bucket.
    await expect
      .poll(
        async () => {
          await sampler.sample();
          const loss = await observed(metrics.packetLoss);
          return loss.upTo(0.2) - loss.upTo(0.1);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThan(0);

    const jitter = await observed(metrics.jitter);
    expect(jitter.count).toBeGreaterThan(0);
    // Seconds, not RTP timestamp units (48 per ms): a timer-paced stream on loopback jitters by ms.
    expect(jitter.sum / jitter.count).toBeLessThan(0.1);
    const bitrate = await observed(metrics.streamBitrate);
    // 132 bytes every 20 ms, 7 of 8 sent: about 46 kbit/s once the window is full.
    expect(bitrate.sum / bitrate.count).toBeGreaterThan(5_000);
    expect(bitrate.sum / bitrate.count).toBeLessThan(100_000);
    // Only what was sampled: no consumers, no round trip measured without RTCP from the device.
    expect((await observed(metrics.roundTripTime)).count).toBe(0);
  });

  it('skips a sample while the previous one still runs', async () => {
    const metrics = new CallMetrics(new Registry());
    const sampler = new CallQualitySampler({
      devices: () => [{ transports: [], producers: [producer], consumers: [] }],
      metrics,
      log: createLogger('test', 'error'),
    });
    const first = sampler.sample();
    expect(await sampler.sample()).toBe(false);
    expect(await first).toBe(true);
    expect(await sampler.sample()).toBe(true);
  });
});

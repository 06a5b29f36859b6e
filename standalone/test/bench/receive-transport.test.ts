import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveTransport } from '../../bench/call-capacity/receive-transport.ts';
import { loadBenchMediasoup, loopbackListen } from '../../bench/harness/bench-mediasoup.ts';
import { forwardingTransport, replayedProducer } from '../../bench/harness/plain-rtp.ts';

// The call-capacity benchmark's subscribers receive every camera through one
// transport whose bandwidth estimate the sink never raises: where it starts is
// what all those cameras share.
describe('a call-capacity receive transport', () => {
  let worker: types.Worker;
  let router: types.Router;
  let listen: ReturnType<typeof loopbackListen>;

  beforeAll(async () => {
    const mediasoup = await loadBenchMediasoup();
    listen = loopbackListen(mediasoup);
    worker = await mediasoup.createWorker({ logLevel: 'error' });
    router = await worker.createRouter({
      mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }],
    });
  });
  afterAll(() => worker?.close());

  /** The estimate a transport's video consumers share, once one consumes a simulcast camera with transport-cc. */
  async function estimate(transport: types.PlainTransport): Promise<number | undefined> {
    const { producer } = await replayedProducer(router, listen, 'video', 1, 3);
    await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
    return (await transport.getStats())[0]?.availableOutgoingBitrate;
  }

  it('starts its estimate where it is told, not at the 600 kbit/s a plain transport gets', async () => {
    expect(await estimate(await forwardingTransport(router, listen, 9))).toBe(600_000);
    expect(await estimate(await receiveTransport(router, listen, 9, 100_000_000))).toBe(100_000_000);
  });

  it('leaves the next plain transport at the default', async () => {
    await receiveTransport(router, listen, 9, 100_000_000);
    expect(await estimate(await forwardingTransport(router, listen, 9))).toBe(600_000);
  });
});

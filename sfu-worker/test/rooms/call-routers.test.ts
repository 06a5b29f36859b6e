import { createLogger } from '@groupcall/shared/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaWorkerPool } from '../../src/media/media-worker-pool.ts';
import { loadMediasoup } from '../../src/media/worker-binary.ts';
import { CallRouters } from '../../src/rooms/call-routers.ts';

/** Placement of one call's devices on the Routers of a real two-Worker pool. */

let pool: MediaWorkerPool;

beforeAll(async () => {
  pool = await MediaWorkerPool.start(
    await loadMediasoup(),
    {
      numWorkers: 2,
      listenIp: '127.0.0.1',
      announcedIp: undefined,
      portBase: 0,
      logLevel: 'error',
      maxParticipantsPerRouter: 2,
    },
    createLogger('test', 'error'),
  );
}, 30_000);

afterAll(() => pool?.close());

describe('CallRouters', () => {
  it('opens one further Router on the other Worker when devices arrive together at a full Router', async () => {
    const call = await CallRouters.open('team-alpha', pool, 2);
    try {
      const placed = await Promise.all([call.place(), call.place(), call.place(), call.place()]);
      expect(call.all).toHaveLength(2);
      expect(new Set(call.all.map((media) => media.worker))).toEqual(new Set(pool.workers));
      expect(placed.filter((media) => media === call.home)).toHaveLength(2);

      // Every Worker hosts the call: a fifth device goes to the emptier Router rather than a third one.
      call.release(call.home);
      expect(await call.place()).toBe(call.home);
      expect(call.all).toHaveLength(2);
    } finally {
      call.close();
    }
    expect(call.all.every((media) => media.router.closed)).toBe(true);
  });

  it('pipes a producer to another Router once, however many ask at the same time', async () => {
    const call = await CallRouters.open('team-beta', pool, 1);
    try {
      const [home, far] = [await call.place(), await call.place()];
      if (!home || !far || home === far) throw new Error('expected two Routers');
      const transport = await home.router.createPlainTransport({ listenIp: '127.0.0.1' });
      const producer = await transport.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
          encodings: [{ ssrc: 1111 }],
        },
      });
      await Promise.all([call.bring(producer, home, far), call.bring(producer, home, far)]);
      const caps = far.router.rtpCapabilities;
      expect(far.router.canConsume({ producerId: producer.id, rtpCapabilities: caps })).toBe(true);
      producer.close();
      // The piped copy goes with its producer: a device there can no longer consume it.
      await expect
        .poll(() => far.router.canConsume({ producerId: producer.id, rtpCapabilities: caps }))
        .toBe(false);
    } finally {
      call.close();
    }
  });
});

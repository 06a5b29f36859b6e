import { describe, expect, it } from 'vitest';
import { loadMediasoup, resolveWorkerBinary } from '../../src/media/worker-binary.ts';

// 203.0.113.0/24 is TEST-NET-3: it only appears inside ICE candidates here,
// no packet is ever sent to it.
const announcedIp = '203.0.113.7';

describe('provisioned mediasoup worker', () => {
  it('runs a Worker, Router and WebRtcTransport whose ICE candidates carry the announced IP', async () => {
    expect(resolveWorkerBinary()).toBeDefined();
    const mediasoup = await loadMediasoup();
    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    try {
      const router = await worker.createRouter({
        mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
      });
      const transport = await router.createWebRtcTransport({
        listenIps: [{ ip: '127.0.0.1', announcedIp }],
        enableUdp: true,
        enableTcp: true,
      });
      expect(transport.iceCandidates.length).toBeGreaterThanOrEqual(2);
      for (const candidate of transport.iceCandidates) expect(candidate.ip).toBe(announcedIp);
      expect(new Set(transport.iceCandidates.map((c) => c.protocol))).toEqual(new Set(['udp', 'tcp']));

      transport.close();
      router.close();
      expect(transport.closed && router.closed).toBe(true);
    } finally {
      worker.close();
    }
    expect(worker.closed).toBe(true);
  });
});

import type { types } from 'mediasoup';

/** RTP packets received so far by the given producers (one small channel request each). */
export async function producerPackets(producers: readonly types.Producer[]): Promise<number> {
  let total = 0;
  for (const producer of producers) {
    for (const stat of await producer.getStats()) total += stat.packetCount ?? 0;
  }
  return total;
}

/**
 * A Worker's packet counters: RTP received by the producers and sent by the
 * consumers, with the time they were read (the middle of the sweep: reading
 * a thousand consumers takes a few hundred ms).
 */
export async function workerCounts(
  producers: readonly types.Producer[],
  consumers: readonly types.Consumer[],
) {
  const start = performance.now();
  const received = await producerPackets(producers);
  let sent = 0;
  for (let i = 0; i < consumers.length; i += 100) {
    const stats = await Promise.all(consumers.slice(i, i + 100).map((c) => c.getStats()));
    for (const stat of stats.flat()) if (stat.type === 'outbound-rtp') sent += stat.packetCount;
  }
  return { received, sent, at: (start + performance.now()) / 2 };
}

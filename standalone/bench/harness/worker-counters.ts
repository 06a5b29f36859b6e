import type { types } from 'mediasoup';

/** RTP packets received so far by the given producers (one small channel request each). */
export async function producerPackets(producers: readonly types.Producer[]): Promise<number> {
  let total = 0;
  for (const producer of producers) {
    for (const stat of await producer.getStats()) total += stat.packetCount ?? 0;
  }
  return total;
}

/** Which of a producer's received streams its consumers should deliver (a simulcast consumer: one layer). */
export type Deliverable = (producer: types.Producer, stat: types.ProducerStat) => boolean;

/**
 * A Worker's packet counters: RTP received by the producers (all of it, and
 * what their consumers should deliver) and sent by the consumers, with the
 * time they were read (the middle of the sweep: reading a thousand consumers
 * takes a few hundred ms).
 */
export async function workerCounts(
  producers: readonly types.Producer[],
  consumers: readonly types.Consumer[],
  deliverable: Deliverable = () => true,
) {
  const start = performance.now();
  let received = 0;
  let toDeliver = 0;
  for (const producer of producers) {
    for (const stat of await producer.getStats()) {
      received += stat.packetCount ?? 0;
      if (deliverable(producer, stat)) toDeliver += stat.packetCount ?? 0;
    }
  }
  let sent = 0;
  for (let i = 0; i < consumers.length; i += 100) {
    const stats = await Promise.all(consumers.slice(i, i + 100).map((c) => c.getStats()));
    for (const stat of stats.flat()) if (stat.type === 'outbound-rtp') sent += stat.packetCount;
  }
  return { received, deliverable: toDeliver, sent, at: (start + performance.now()) / 2 };
}

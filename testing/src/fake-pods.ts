import type { PodRecord } from '@groupcall/shared/placement';

/**
 * The heartbeat record of a pod that does not exist: ready, empty, room for
 * 1000 participants unless told otherwise. Placement needs nothing more from
 * a pod, so tests and benchmarks place calls without starting sfu-workers.
 */
export function fakePodRecord(podName: string, fields: Partial<PodRecord> = {}): PodRecord {
  return {
    podName,
    url: 'https://sfu.test',
    path: `/sfu/${podName}/socket.io`,
    announcedIp: '203.0.113.7',
    state: 'ready',
    capacity: 1000,
    calls: 0,
    participants: 0,
    consumers: 0,
    cpu: 0.1,
    updatedAt: Date.now(),
    ...fields,
  };
}

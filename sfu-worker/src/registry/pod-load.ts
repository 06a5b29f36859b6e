import type { MediaWorkerPool } from '../media/media-worker-pool.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';

export interface PodLoad {
  calls: number;
  participants: number;
  consumers: number;
  /** CPU of this process and its mediasoup Workers since the last sample, in cores. */
  cpu: number;
}

/** Samples the pod's load for heartbeats and metrics. */
export class PodLoadSampler {
  readonly #rooms: RoomRegistry;
  readonly #media: MediaWorkerPool;
  #lastCpuMs = 0;
  #lastAt = performance.now();

  constructor(rooms: RoomRegistry, media: MediaWorkerPool) {
    this.#rooms = rooms;
    this.#media = media;
  }

  async sample(): Promise<PodLoad> {
    const rooms = this.#rooms.rooms;
    const participants = rooms.flatMap((room) => room.participants);
    return {
      calls: rooms.length,
      participants: participants.length,
      consumers: participants.reduce((sum, p) => sum + p.consumerCount, 0),
      cpu: await this.#cpu(),
    };
  }

  async #cpu(): Promise<number> {
    const own = process.cpuUsage();
    let totalMs = (own.user + own.system) / 1000;
    for (const worker of this.#media.workers) {
      if (worker.closed) continue;
      const usage = await worker.getResourceUsage().catch(() => undefined);
      if (usage) totalMs += usage.ru_utime + usage.ru_stime;
    }
    const now = performance.now();
    const cores = Math.max(0, totalMs - this.#lastCpuMs) / Math.max(1, now - this.#lastAt);
    this.#lastCpuMs = totalMs;
    this.#lastAt = now;
    return Math.round(cores * 100) / 100;
  }
}

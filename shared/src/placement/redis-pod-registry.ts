import type { Redis } from 'ioredis';
import { RedisScript } from '../call-state/redis-script.ts';
import { type PlacementKeys, placementKeys, registryTiming } from './keys.ts';
import { claimScript, releaseScript } from './placement-scripts.ts';
import { decodePodRecord, encodePodRecord, type PodRecord } from './pod-record.ts';

const claim = new RedisScript(claimScript);
const release = new RedisScript(releaseScript);

/**
 * The pod registry in Redis: sfu-worker pods publish heartbeats and confirm
 * or clear the calls they host; the control plane lists live pods.
 */
export class RedisPodRegistry {
  readonly #redis: Redis;
  readonly keys: PlacementKeys;

  constructor(redis: Redis, keys: PlacementKeys = placementKeys()) {
    this.#redis = redis;
    this.keys = keys;
  }

  /** One heartbeat: the pod's record, its expiry and its index entry, in one round trip. */
  async publish(record: PodRecord): Promise<void> {
    await this.#redis
      .multi()
      .hset(this.keys.pod(record.podName), encodePodRecord(record))
      .pexpire(this.keys.pod(record.podName), registryTiming.podTtlMs)
      .sadd(this.keys.pods, record.podName)
      .exec();
  }

  /** A pod leaving for good (after draining) disappears at once instead of timing out. */
  async remove(podName: string): Promise<void> {
    await this.#redis.multi().del(this.keys.pod(podName)).srem(this.keys.pods, podName).exec();
  }

  /**
   * Takes or keeps a call on `podName`: returns `podName`, or the other live
   * pod that already hosts the call.
   */
  async claim(conversationId: string, podName: string): Promise<string> {
    const keys = [this.keys.assignment(conversationId)];
    return String(
      await claim.run(this.#redis, keys, [
        this.keys.prefix,
        conversationId,
        podName,
        registryTiming.assignmentTtlMs,
      ]),
    );
  }

  /**
   * Keeps the assignments of the calls a pod hosts alive (sent back to back
   * on one connection). Returns the calls another live pod has taken over
   * meanwhile (this pod looked gone, e.g. during a Redis outage), with that pod.
   */
  async refresh(
    conversationIds: readonly string[],
    podName: string,
  ): Promise<Array<{ conversationId: string; host: string }>> {
    const hosts = await Promise.all(conversationIds.map((id) => this.claim(id, podName)));
    return conversationIds.flatMap((conversationId, i) => {
      const host = hosts[i];
      return host && host !== podName ? [{ conversationId, host }] : [];
    });
  }

  async release(conversationId: string, podName: string): Promise<void> {
    await release.run(
      this.#redis,
      [this.keys.assignment(conversationId)],
      [this.keys.prefix, conversationId, podName],
    );
  }

  async pod(podName: string): Promise<PodRecord | undefined> {
    return decodePodRecord(await this.#redis.hgetall(this.keys.pod(podName)));
  }

  async livePods(): Promise<PodRecord[]> {
    const names = await this.#redis.smembers(this.keys.pods);
    const pipeline = this.#redis.pipeline();
    for (const name of names) pipeline.hgetall(this.keys.pod(name));
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([, hash]) => decodePodRecord(hash as Record<string, string>) ?? []);
  }
}

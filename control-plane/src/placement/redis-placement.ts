import { RedisScript } from '@groupcall/shared/call-state';
import { CallError } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import {
  assignScript,
  lostCallsScript,
  type PlacementKeys,
  placementKeys,
  registryTiming,
  unassignScript,
} from '@groupcall/shared/placement';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type LostCall, noMediaServerMessage, type Placement, type PodEndpoint } from './placement.ts';

const assign = new RedisScript(assignScript);
const unassign = new RedisScript(unassignScript);
const lostCalls = new RedisScript(lostCallsScript);
/** Lost calls handled per sweep; more wait for the next one. */
const lostCallsBatch = 100;

const AssignReplySchema = z.union([
  z.tuple([z.string().min(1), z.enum(['existing', 'new']), z.string(), z.string()]),
  z.tuple([z.literal(''), z.literal('no-capacity'), z.number(), z.number()]),
]);

export interface RedisPlacementOptions {
  log: Logger;
  keys?: PlacementKeys;
  /**
   * How many participants a call placed but not joined yet counts for, until
   * its pod confirms it (or 30 s pass). Pods' capacity is in participants.
   * Default 4: a typical group call, so a burst of new calls spreads over
   * the pods instead of piling onto the one that looked emptiest.
   */
  participantsPerNewCall?: number;
  /** Current time in ms since the epoch (tests move it). Default Date.now. */
  now?: () => number;
}

/**
 * Production placement over the pod registry the sfu-workers publish to
 * Redis: every control-plane replica runs the same atomic script, so a call
 * is placed exactly once however many members join at the same moment, and
 * an assign costs one Redis round trip (EVALSHA).
 */
export class RedisPlacement implements Placement {
  readonly #redis: Redis;
  readonly #keys: PlacementKeys;
  readonly #participantsPerNewCall: number;
  readonly #now: () => number;
  readonly #log: Logger;

  constructor(redis: Redis, options: RedisPlacementOptions) {
    this.#redis = redis;
    this.#keys = options.keys ?? placementKeys();
    this.#participantsPerNewCall = options.participantsPerNewCall ?? 4;
    this.#now = options.now ?? Date.now;
    this.#log = options.log.child({ component: 'placement' });
  }

  async assign(conversationId: string): Promise<PodEndpoint> {
    const reply = await assign.run(
      this.#redis,
      [this.#keys.assignment(conversationId)],
      [
        this.#keys.prefix,
        conversationId,
        this.#now(),
        registryTiming.pendingTtlMs,
        registryTiming.assignmentTtlMs,
        this.#participantsPerNewCall,
      ],
    );
    const parsed = AssignReplySchema.parse(reply);
    if (parsed[1] === 'no-capacity') {
      const [, , livePods, readyPods] = parsed;
      this.#log.warn(
        { conversationId, livePods, readyPods },
        livePods === 0
          ? 'cannot place call: no sfu-worker pod is registered in Redis'
          : 'cannot place call: every sfu-worker pod is full or draining',
      );
      throw new CallError('unavailable', noMediaServerMessage);
    }
    const [podName, outcome, url, path] = parsed;
    if (outcome === 'new') this.#log.info({ conversationId, podName }, 'call placed on pod');
    return { podName, url, path };
  }

  async release(conversationId: string, podName?: string): Promise<void> {
    await unassign.run(
      this.#redis,
      [this.#keys.assignment(conversationId)],
      [this.#keys.prefix, conversationId, podName ?? ''],
    );
  }

  async lostCalls(): Promise<LostCall[]> {
    const reply = z
      .array(z.string())
      .parse(
        await lostCalls.run(
          this.#redis,
          [],
          [this.#keys.prefix, `${this.#keys.prefix}call:`, lostCallsBatch],
        ),
      );
    const lost: LostCall[] = [];
    for (let i = 0; i + 2 < reply.length; i += 3)
      lost.push({
        conversationId: reply[i] as string,
        callId: reply[i + 1] as string,
        podName: reply[i + 2] as string,
      });
    return lost;
  }
}

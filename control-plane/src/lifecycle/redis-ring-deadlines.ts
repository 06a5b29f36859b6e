import { RedisScript } from '@groupcall/shared/call-state';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RingDeadline, RingDeadlines } from './ring-deadlines.ts';

// KEYS: the sorted set. ARGV: now ms, most to claim. Removes and returns the due members:
// one script at a time, so each deadline goes to exactly one replica.
const claimDueScript = new RedisScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due
`);

const MemberSchema = z.tuple([z.string(), z.string()]);
/** Deadlines claimed per poll; more wait for the next one. */
const claimBatch = 100;

/**
 * Ring deadlines in a Redis sorted set, `groupcall:ring-deadlines`: member
 * `["<conversationId>","<callId>"]`, score the deadline in ms. Every replica
 * polls it; a due member is removed and returned by one script, so exactly
 * one replica fires it.
 */
export class RedisRingDeadlines implements RingDeadlines {
  readonly #redis: Redis;
  readonly #key: string;

  constructor(redis: Redis, options: { keyPrefix?: string } = {}) {
    this.#redis = redis;
    this.#key = `${options.keyPrefix ?? 'groupcall:'}ring-deadlines`;
  }

  async schedule(deadline: RingDeadline, atMs: number): Promise<void> {
    await this.#redis.zadd(this.#key, atMs, JSON.stringify([deadline.conversationId, deadline.callId]));
  }

  async claimDue(nowMs: number): Promise<RingDeadline[]> {
    const members = z
      .array(z.string())
      .parse(await claimDueScript.run(this.#redis, [this.#key], [nowMs, claimBatch]));
    return members.flatMap((member) => {
      const parsed = MemberSchema.safeParse(parseJson(member));
      return parsed.success ? [{ conversationId: parsed.data[0], callId: parsed.data[1] }] : [];
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

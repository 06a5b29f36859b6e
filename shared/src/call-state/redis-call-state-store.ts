import type { Redis } from 'ioredis';
import { z } from 'zod';
import { CallTypeSchema, ConversationInfoSchema, ParticipantInfoSchema } from '../protocol.ts';
import {
  type CallState,
  type CallStateStore,
  defaultCallStateExpiryMs,
  type NewCall,
  newCallState,
} from './call-state-store.ts';
import { RedisScript } from './redis-script.ts';

/**
 * Call state in Redis, shared by every control-plane replica and sfu-worker.
 *
 * Per call, two keys with the same hash tag (so they live on one Redis Cluster
 * slot and one script can touch both):
 *   groupcall:call:{<conversationId>}          hash: callType, startedBy, startedAt,
 *                                             conversationInfo (JSON), members (JSON array of
 *                                             ParticipantInfo), participantCount
 *   groupcall:call:{<conversationId>}:ringing  set of member ids still ringing
 * Both expire together; setParticipantCount pushes the expiry forward.
 */
export class RedisCallStateStore implements CallStateStore {
  readonly #redis: Redis;
  readonly #expiryMs: number;
  readonly #keyPrefix: string;

  constructor(redis: Redis, options: { expiryMs?: number; keyPrefix?: string } = {}) {
    this.#redis = redis;
    this.#expiryMs = options.expiryMs ?? defaultCallStateExpiryMs;
    this.#keyPrefix = options.keyPrefix ?? 'groupcall:';
  }

  async start(newCall: NewCall): Promise<{ call: CallState; created: boolean }> {
    const { conversationId } = newCall;
    const reply = await startScript.run(this.#redis, this.#keys(conversationId), [
      this.#expiryMs,
      newCall.callType,
      newCall.startedBy,
      newCall.startedAt,
      JSON.stringify(newCall.conversationInfo),
      JSON.stringify(newCall.members),
      ...newCall.ringing,
    ]);
    const parsed = StartReplySchema.parse(reply);
    if (parsed[0] === 0) return { call: parseCall(conversationId, pairsToRecord(parsed[1])), created: false };
    return { call: newCallState(newCall), created: true };
  }

  async get(conversationId: string): Promise<CallState | undefined> {
    const [callKey] = this.#keys(conversationId);
    const hash = await this.#redis.hgetall(callKey);
    return Object.keys(hash).length === 0 ? undefined : parseCall(conversationId, hash);
  }

  async setParticipantCount(conversationId: string, count: number): Promise<void> {
    await participantCountScript.run(this.#redis, this.#keys(conversationId), [count, this.#expiryMs]);
  }

  async stopRinging(conversationId: string, userIds?: readonly string[]): Promise<string[]> {
    const [, ringingKey] = this.#keys(conversationId);
    if (userIds?.length === 0) return [];
    const reply = await stopRingingScript.run(this.#redis, [ringingKey], userIds ?? []);
    return UserIdsReplySchema.parse(reply);
  }

  async end(conversationId: string): Promise<string[]> {
    return UserIdsReplySchema.parse(await endScript.run(this.#redis, this.#keys(conversationId), []));
  }

  #keys(conversationId: string): [call: string, ringing: string] {
    const call = `${this.#keyPrefix}call:{${conversationId}}`;
    return [call, `${call}:ringing`];
  }
}

// KEYS: call, ringing. ARGV: expiryMs, callType, startedBy, startedAt, conversationInfo JSON,
// members JSON, ringing ids… Returns {1} when it created the call, else {0, HGETALL of the active call}.
const startScript = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('HGETALL', KEYS[1])}
end
redis.call('HSET', KEYS[1], 'callType', ARGV[2], 'startedBy', ARGV[3], 'startedAt', ARGV[4],
  'conversationInfo', ARGV[5], 'members', ARGV[6], 'participantCount', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
if #ARGV > 6 then
  redis.call('SADD', KEYS[2], unpack(ARGV, 7))
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return {1}
`);

// KEYS: call, ringing. ARGV: count, expiryMs.
const participantCountScript = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'participantCount', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`);

// KEYS: ringing. ARGV: user ids, none meaning everyone. Returns the ids it removed.
const stopRingingScript = new RedisScript(`
if #ARGV == 0 then
  local all = redis.call('SMEMBERS', KEYS[1])
  redis.call('DEL', KEYS[1])
  return all
end
local stopped = {}
for _, id in ipairs(ARGV) do
  if redis.call('SREM', KEYS[1], id) == 1 then stopped[#stopped + 1] = id end
end
return stopped
`);

// KEYS: call, ringing. Returns the ids that were still ringing.
const endScript = new RedisScript(`
local ringing = redis.call('SMEMBERS', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return ringing
`);

const UserIdsReplySchema = z.array(z.string());
const StartReplySchema = z.union([z.tuple([z.literal(1)]), z.tuple([z.literal(0), z.array(z.string())])]);

/** A hash field holding JSON, checked against `schema`. */
function jsonField<Schema extends z.ZodType>(schema: Schema) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const CallHashSchema = z.object({
  callType: CallTypeSchema,
  startedBy: z.string(),
  startedAt: z.coerce.number(),
  conversationInfo: jsonField(ConversationInfoSchema),
  members: jsonField(z.array(ParticipantInfoSchema)),
  participantCount: z.coerce.number(),
});

function parseCall(conversationId: string, hash: Record<string, string>): CallState {
  const fields = CallHashSchema.safeParse(hash);
  if (!fields.success)
    throw new Error(
      `Call state of ${conversationId} in Redis is malformed: ${z.prettifyError(fields.error)}`,
    );
  return { conversationId, ...fields.data, memberIds: fields.data.members.map((m) => m.userId) };
}

function pairsToRecord(pairs: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) record[pairs[i] as string] = pairs[i + 1] as string;
  return record;
}

import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  CallTypeSchema,
  ConversationInfoSchema,
  ParticipantInfoSchema,
  RingStateSchema,
} from '../protocol.ts';
import {
  type CallState,
  type CallStateStore,
  defaultCallStateExpiryMs,
  type EndedCall,
  type NewCall,
  newCallState,
  type RingOutcome,
} from './call-state-store.ts';
import { RedisScript } from './redis-script.ts';

/**
 * Call state in Redis, shared by every control-plane replica and sfu-worker.
 *
 * Per call, two keys with the same hash tag (so they live on one Redis Cluster
 * slot and one script can touch both):
 *   groupcall:call:{<conversationId>}       hash: callId, callType, startedBy, startedAt,
 *                                          conversationInfo (JSON), members (JSON array of
 *                                          ParticipantInfo), participantCount, peakParticipantCount
 *   groupcall:call:{<conversationId>}:ring  hash: member id → ringing | accepted | declined | missed |
 *                                          unreachable
 * Both expire together; setParticipantCount pushes the expiry forward. Every
 * script that changes a call first checks its callId.
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
      newCall.callId,
      ...(newCall.unreachable ?? []).flatMap((id) => [id, 'unreachable']),
      ...newCall.ringing.flatMap((id) => [id, 'ringing']),
    ]);
    const parsed = StartReplySchema.parse(reply);
    if (parsed[0] === 0)
      return {
        call: parseCall(conversationId, pairsToRecord(parsed[1]), pairsToRecord(parsed[2])),
        created: false,
      };
    return { call: newCallState(newCall), created: true };
  }

  async get(conversationId: string): Promise<CallState | undefined> {
    const [callKey, ringKey] = this.#keys(conversationId);
    const [[, hash], [, ring]] = (await this.#redis.multi().hgetall(callKey).hgetall(ringKey).exec()) as [
      [unknown, Record<string, string>],
      [unknown, Record<string, string>],
    ];
    return Object.keys(hash).length === 0 ? undefined : parseCall(conversationId, hash, ring);
  }

  async setParticipantCount(conversationId: string, callId: string, count: number): Promise<void> {
    await participantCountScript.run(this.#redis, this.#keys(conversationId), [
      callId,
      count,
      this.#expiryMs,
    ]);
  }

  async stopRinging(
    conversationId: string,
    callId: string,
    userIds: readonly string[] | undefined,
    outcome: RingOutcome,
  ): Promise<string[]> {
    if (userIds?.length === 0) return [];
    const reply = await stopRingingScript.run(this.#redis, this.#keys(conversationId), [
      callId,
      outcome,
      ...(userIds ?? []),
    ]);
    return UserIdsReplySchema.parse(reply);
  }

  async end(conversationId: string, callId: string | undefined): Promise<EndedCall | undefined> {
    return this.#ended(
      conversationId,
      await endScript.run(this.#redis, this.#keys(conversationId), [callId ?? '']),
    );
  }

  async endIfAbandoned(
    conversationId: string,
    callId: string,
    options: { evenIfAccepted: boolean },
  ): Promise<EndedCall | undefined> {
    const reply = await endIfAbandonedScript.run(this.#redis, this.#keys(conversationId), [
      callId,
      options.evenIfAccepted ? 1 : 0,
    ]);
    return this.#ended(conversationId, reply);
  }

  #ended(conversationId: string, reply: unknown): EndedCall | undefined {
    const parsed = EndReplySchema.parse(reply);
    if (parsed.length === 0) return undefined;
    const ring = pairsToRecord(parsed[1]);
    const call = parseCall(conversationId, pairsToRecord(parsed[0]), ring);
    return { call, stillRinging: Object.keys(call.ring).filter((id) => call.ring[id] === 'ringing') };
  }

  #keys(conversationId: string): [call: string, ring: string] {
    const call = `${this.#keyPrefix}call:{${conversationId}}`;
    return [call, `${call}:ring`];
  }
}

// Every script: KEYS call, ring. A callId argument of '' matches any call.
const sameCall = `
local function sameCall(callId)
  local current = redis.call('HGET', KEYS[1], 'callId')
  return current and (callId == '' or current == callId)
end
`;

// ARGV: expiryMs, callType, startedBy, startedAt, conversationInfo JSON, members JSON, callId,
// then (member id, ring state) pairs. Returns {1} when it created the call, else {0, HGETALL call, HGETALL ring}.
const startScript = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
end
redis.call('HSET', KEYS[1], 'callType', ARGV[2], 'startedBy', ARGV[3], 'startedAt', ARGV[4],
  'conversationInfo', ARGV[5], 'members', ARGV[6], 'callId', ARGV[7], 'participantCount', '0',
  'peakParticipantCount', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
for i = 8, #ARGV - 1, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
if #ARGV > 7 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return {1}
`);

// ARGV: callId, count, expiryMs.
const participantCountScript = new RedisScript(`${sameCall}
if not sameCall(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'participantCount', ARGV[2])
if tonumber(ARGV[2]) > tonumber(redis.call('HGET', KEYS[1], 'peakParticipantCount') or '0') then
  redis.call('HSET', KEYS[1], 'peakParticipantCount', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`);

// ARGV: callId, outcome, user ids (none meaning everyone still ringing). Returns the ids
// that were ringing. 'accepted' is also recorded for members who were not ringing.
const stopRingingScript = new RedisScript(`${sameCall}
if not sameCall(ARGV[1]) then return {} end
local outcome = ARGV[2]
local ids = {}
if #ARGV == 2 then
  local ring = redis.call('HGETALL', KEYS[2])
  for i = 1, #ring, 2 do ids[#ids + 1] = ring[i] end
else
  for i = 3, #ARGV do ids[#ids + 1] = ARGV[i] end
end
local stopped = {}
for _, id in ipairs(ids) do
  local state = redis.call('HGET', KEYS[2], id)
  if state == 'ringing' then
    stopped[#stopped + 1] = id
    redis.call('HSET', KEYS[2], id, outcome)
  elseif outcome == 'accepted' and #ARGV > 2 then
    redis.call('HSET', KEYS[2], id, outcome)
  end
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return stopped
`);

const forget = `
local function forget()
  local ended = {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
  redis.call('DEL', KEYS[1], KEYS[2])
  return ended
end
`;

// ARGV: callId ('' = whichever call). Returns {HGETALL call, HGETALL ring} once, else {}.
const endScript = new RedisScript(`${sameCall}${forget}
if not sameCall(ARGV[1]) then return {} end
return forget()
`);

// ARGV: callId, evenIfAccepted (1/0). Ends the call when its room is empty, nobody rings and
// (unless evenIfAccepted) nobody who accepted is on the way. Returns like end.
const endIfAbandonedScript = new RedisScript(`${sameCall}${forget}
if not sameCall(ARGV[1]) then return {} end
if tonumber(redis.call('HGET', KEYS[1], 'participantCount') or '0') > 0 then return {} end
local ring = redis.call('HGETALL', KEYS[2])
for i = 2, #ring, 2 do
  if ring[i] == 'ringing' or (ring[i] == 'accepted' and ARGV[2] ~= '1') then return {} end
end
return forget()
`);

const UserIdsReplySchema = z.array(z.string());
const StartReplySchema = z.union([
  z.tuple([z.literal(1)]),
  z.tuple([z.literal(0), z.array(z.string()), z.array(z.string())]),
]);
const EndReplySchema = z.union([z.tuple([]), z.tuple([z.array(z.string()), z.array(z.string())])]);

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
  // Calls recorded before call ids existed get one that matches no report.
  callId: z.string().default('unknown'),
  callType: CallTypeSchema,
  startedBy: z.string(),
  startedAt: z.coerce.number(),
  conversationInfo: jsonField(ConversationInfoSchema),
  members: jsonField(z.array(ParticipantInfoSchema)),
  participantCount: z.coerce.number(),
  // Calls recorded before the peak was kept: the peak is unknown, 0.
  peakParticipantCount: z.coerce.number().default(0),
});

function parseCall(
  conversationId: string,
  hash: Record<string, string>,
  ring: Record<string, string>,
): CallState {
  const fields = CallHashSchema.safeParse(hash);
  if (!fields.success)
    throw new Error(
      `Call state of ${conversationId} in Redis is malformed: ${z.prettifyError(fields.error)}`,
    );
  return {
    conversationId,
    ...fields.data,
    memberIds: fields.data.members.map((m) => m.userId),
    ring: RingHashSchema.parse(ring),
  };
}

const RingHashSchema = z.record(z.string(), RingStateSchema);

function pairsToRecord(pairs: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) record[pairs[i] as string] = pairs[i + 1] as string;
  return record;
}

import { RedisScript } from '@groupcall/shared/call-state';
import { type PlacementKeys, placementKeys } from '@groupcall/shared/placement';
import type { OnlineUsersReader } from '@groupcall/shared/presence';
import type { Redis } from 'ioredis';
import { z } from 'zod';

// KEYS: the pods set. ARGV: key prefix, user ids… Returns the ids with a device on a pod whose
// heartbeat lives (a killed pod's users stop counting when its heartbeat key expires).
const whoIsOnlineScript = new RedisScript(`
local online = {}
local found = {}
for _, pod in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'pod:' .. pod) == 1 then
    local flags = redis.call('HMGET', ARGV[1] .. 'pod:' .. pod .. ':users', unpack(ARGV, 2))
    for i, flag in ipairs(flags) do
      local id = ARGV[i + 1]
      if flag and not found[id] then
        found[id] = true
        online[#online + 1] = id
      end
    end
  end
end
return online
`);

/** Reads the users the pods record as connected (see the sfu-worker's RedisOnlineUsers). */
export class RedisOnlineUsersReader implements OnlineUsersReader {
  readonly #redis: Redis;
  readonly #keys: PlacementKeys;

  constructor(redis: Redis, keys: PlacementKeys = placementKeys()) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async whoIsOnline(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const reply = await whoIsOnlineScript.run(
      this.#redis,
      [this.#keys.pods],
      [this.#keys.prefix, ...userIds],
    );
    return new Set(z.array(z.string()).parse(reply));
  }
}

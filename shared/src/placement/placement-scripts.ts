/**
 * Lua scripts run atomically by Redis: whatever the number of control-plane
 * replicas and pods racing, one script runs at a time, so a call is placed
 * exactly once. Each returns in one round trip.
 *
 * The scripts touch keys they compute from the prefix (pods are discovered
 * in the script), so they need a single Redis (or one hash slot), not a
 * Redis Cluster spread over slots.
 */

/**
 * ASSIGN — the live assignment of a call, or the least-loaded ready pod under
 * its capacity. Load = participants + (calls placed but not yet joined) ×
 * expected participants per new call, so a burst of new calls spreads
 * instead of landing on the pod that looked emptiest a moment ago. A pod
 * that is draining keeps the calls it has but gets no new ones. The pod's
 * url and path come back too, so placing a call is one round trip.
 *
 * Pending entries are scored with their expiry: only live ones are counted
 * (ZCOUNT), and expired ones are trimmed from the pod a call is added to, so
 * the scan costs two commands per pod. Pods whose record expired (no
 * heartbeat) are dropped from the index, with their pending set; a pending
 * set also expires on its own once its newest entry has, so pods that never
 * come back (DaemonSet pods have random names) leave nothing behind.
 *
 * KEYS[1] assignment key. ARGV: prefix, conversationId, now ms, pending TTL ms,
 * assignment TTL ms, expected participants per new call.
 * Returns {podName, 'existing'|'new', url, path}, or {'', 'no-capacity',
 * live pods, ready pods} (the counts say why, for the logs).
 */
export const assignScript = `
local prefix, cid = ARGV[1], ARGV[2]
local now, pendingTtl, assignmentTtl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local perNewCall = tonumber(ARGV[6])
local podsKey = prefix .. 'pods'
local current = redis.call('GET', KEYS[1])
if current then
  local endpoint = redis.call('HMGET', prefix .. 'pod:' .. current, 'url', 'path')
  if endpoint[1] then return {current, 'existing', endpoint[1], endpoint[2]} end
end
local best, bestLoad, bestUrl, bestPath = nil, nil, nil, nil
local live, ready = 0, 0
for _, name in ipairs(redis.call('SMEMBERS', podsKey)) do
  local podKey = prefix .. 'pod:' .. name
  local pendingKey = podKey .. ':pending'
  local pod = redis.call('HMGET', podKey, 'state', 'participants', 'capacity', 'url', 'path')
  if not pod[1] then
    redis.call('SREM', podsKey, name)
    redis.call('DEL', pendingKey)
  else
    live = live + 1
    if pod[1] == 'ready' then
      ready = ready + 1
      local pending = redis.call('ZCOUNT', pendingKey, '(' .. ARGV[3], '+inf')
      local load = (tonumber(pod[2]) or 0) + pending * perNewCall
      local fits = load + perNewCall <= (tonumber(pod[3]) or 0)
      if fits and (best == nil or load < bestLoad or (load == bestLoad and name < best)) then
        best, bestLoad, bestUrl, bestPath = name, load, pod[4], pod[5]
      end
    end
  end
end
if not best then return {'', 'no-capacity', live, ready} end
local pendingKey = prefix .. 'pod:' .. best .. ':pending'
redis.call('SET', KEYS[1], best, 'PX', assignmentTtl)
redis.call('SADD', prefix .. 'placed', cid)
redis.call('ZREMRANGEBYSCORE', pendingKey, '-inf', ARGV[3])
redis.call('ZADD', pendingKey, now + pendingTtl, cid)
redis.call('PEXPIRE', pendingKey, pendingTtl)
return {best, 'new', bestUrl, bestPath}
`;

/**
 * CLAIM — a pod asked to host a call (createRoom) takes it unless another
 * live pod holds it. Confirms the call (no longer pending) and refreshes the
 * assignment's expiry.
 *
 * KEYS[1] assignment key. ARGV: prefix, conversationId, this pod, assignment TTL ms.
 * Returns the pod that hosts the call: this pod, or the live one that already does.
 */
export const claimScript = `
local prefix, cid, me, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local current = redis.call('GET', KEYS[1])
if current and current ~= me and redis.call('EXISTS', prefix .. 'pod:' .. current) == 1 then
  return current
end
redis.call('SET', KEYS[1], me, 'PX', ttl)
redis.call('SADD', prefix .. 'placed', cid)
redis.call('ZREM', prefix .. 'pod:' .. me .. ':pending', cid)
return me
`;

/**
 * RELEASE — the call ended on this pod: forget the assignment if it is still ours.
 * KEYS[1] assignment key. ARGV: prefix, conversationId, this pod.
 */
export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[3] then redis.call('DEL', KEYS[1]) end
redis.call('ZREM', ARGV[1] .. 'pod:' .. ARGV[3] .. ':pending', ARGV[2])
return 1
`;

/**
 * UNASSIGN — the control plane forgets a call's placement once the call
 * ended. With a pod name, only if the call is still assigned to that pod:
 * a late "ended" from the pod that hosted an earlier call must not unplace a
 * newer call in the same conversation that went elsewhere.
 *
 * KEYS[1] assignment key. ARGV: prefix, conversationId, pod name ('' = whichever).
 * Returns 1 when it forgot an assignment, else 0.
 */
export const unassignScript = `
local current = redis.call('GET', KEYS[1])
if not current or (ARGV[3] ~= '' and current ~= ARGV[3]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[1] .. 'placed', ARGV[2])
redis.call('ZREM', ARGV[1] .. 'pod:' .. current .. ':pending', ARGV[2])
return 1
`;

/**
 * LOST CALLS — calls placed on a pod whose heartbeat expired (killed, crashed,
 * cut off): nothing can go on there, so the control plane ends them. Entries
 * whose assignment is gone are dropped from the index; the callId of each
 * lost call is read in the same script, so ending it can never hit a newer
 * call. The call hashes follow the call-state layout ({callPrefix}{<id>}).
 *
 * ARGV: prefix, call key prefix (e.g. 'groupcall:call:'), most to return.
 * Returns a flat list: conversationId, callId, podName, …
 */
export const lostCallsScript = `
local prefix, callPrefix, most = ARGV[1], ARGV[2], tonumber(ARGV[3])
local lost = {}
for _, cid in ipairs(redis.call('SMEMBERS', prefix .. 'placed')) do
  local host = redis.call('GET', prefix .. 'assignment:' .. cid)
  if not host then
    redis.call('SREM', prefix .. 'placed', cid)
  elseif redis.call('EXISTS', prefix .. 'pod:' .. host) == 0 then
    local callId = redis.call('HGET', callPrefix .. '{' .. cid .. '}', 'callId')
    if callId then
      lost[#lost + 1] = cid
      lost[#lost + 1] = callId
      lost[#lost + 1] = host
      if #lost >= most * 3 then break end
    else
      redis.call('DEL', prefix .. 'assignment:' .. cid)
      redis.call('SREM', prefix .. 'placed', cid)
    end
  end
end
return lost
`;

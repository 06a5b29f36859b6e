/**
 * Redis keys of the pod registry and call placement. One place, because the
 * control plane (placing calls) and the sfu-worker pods (heartbeats,
 * confirming and clearing their calls) must agree on every name.
 *
 *   {prefix}pods                  SET   names of registered pods (stale names removed lazily)
 *   {prefix}pod:{name}            HASH  the pod's last heartbeat (expires without heartbeats)
 *   {prefix}pod:{name}:pending    ZSET  calls placed on the pod but not yet joined → expiry ms
 *   {prefix}pod:{name}:users      HASH  users with a device connected to the pod → "1" (counts only
 *                                       while the pod's heartbeat lives)
 *   {prefix}assignment:{id}       STRING the pod hosting a call (expires unless its pod refreshes it)
 *   {prefix}placed                SET   conversations with an assignment: where the control plane
 *                                       looks for calls whose pod died
 */
export interface PlacementKeys {
  prefix: string;
  pods: string;
  placed: string;
  pod(name: string): string;
  pending(name: string): string;
  users(name: string): string;
  assignment(conversationId: string): string;
}

export function placementKeys(prefix = 'groupcall:'): PlacementKeys {
  return {
    prefix,
    pods: `${prefix}pods`,
    placed: `${prefix}placed`,
    pod: (name) => `${prefix}pod:${name}`,
    pending: (name) => `${prefix}pod:${name}:pending`,
    users: (name) => `${prefix}pod:${name}:users`,
    assignment: (conversationId) => `${prefix}assignment:${conversationId}`,
  };
}

/** Timings shared by writers and readers of the registry. */
export const registryTiming = {
  /** Pods publish their state this often. */
  heartbeatMs: 2_000,
  /** A pod that missed this many heartbeats' worth of time is gone. */
  podTtlMs: 6_000,
  /** An assignment nobody joined within this time no longer counts as load. */
  pendingTtlMs: 30_000,
  /** A hosted call's assignment outlives its pod by this much at most. */
  assignmentTtlMs: 30_000,
} as const;

import type { PushMessage } from './push.ts';

/**
 * Groups push messages into FCM multicast batches. A group call gives every
 * member the same data, so messages with equal data share batches: a
 * 500-member group costs one or two sendEachForMulticast calls, not 500.
 * Each batch remembers whose tokens it holds, so dead ones can be removed
 * from the right users.
 */
export interface PushBatch {
  data: Record<string, string>;
  /** Distinct tokens, at most FCM_MAX_BATCH of them. */
  tokens: string[];
  /** token → the users it belongs to (normally exactly one). */
  owners: Map<string, string[]>;
}

/** sendEachForMulticast accepts at most 500 tokens per call. */
export const FCM_MAX_BATCH = 500;

export function planBatches(messages: readonly PushMessage[], maxTokens = FCM_MAX_BATCH): PushBatch[] {
  const byData = new Map<string, { data: Record<string, string>; owners: Map<string, string[]> }>();
  for (const message of messages) {
    const key = dataKey(message.data);
    let group = byData.get(key);
    if (!group) {
      group = { data: message.data, owners: new Map() };
      byData.set(key, group);
    }
    for (const token of message.tokens) {
      const owners = group.owners.get(token);
      if (!owners) group.owners.set(token, [message.userId]);
      else if (!owners.includes(message.userId)) owners.push(message.userId);
    }
  }

  const batches: PushBatch[] = [];
  for (const { data, owners } of byData.values()) {
    const tokens = [...owners.keys()];
    for (let start = 0; start < tokens.length; start += maxTokens) {
      const chunk = tokens.slice(start, start + maxTokens);
      batches.push({
        data,
        tokens: chunk,
        owners: new Map(chunk.map((token) => [token, owners.get(token) ?? []])),
      });
    }
  }
  return batches;
}

/** Equal data gives equal keys whatever the field order. */
function dataKey(data: Record<string, string>): string {
  return JSON.stringify(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

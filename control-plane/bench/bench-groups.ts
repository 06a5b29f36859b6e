import type { DirectoryData } from '@groupcall/shared/directory';

/**
 * The benchmark's directory: users 1..500 and, per group size, a pool of
 * conversations that all have the same members (`g<size>-<n>`). Every
 * POST /v1/calls takes a fresh conversation, so each one starts a call
 * (a conversation with an active call would be a join instead).
 */
export const groupSizes = [10, 500] as const;
export type GroupSize = (typeof groupSizes)[number];

export const callerId = '1';

export function conversationId(size: GroupSize, n: number): string {
  return `g${size}-${n}`;
}

export function benchDirectoryData(pools: Record<GroupSize, number>): DirectoryData {
  const largest = Math.max(...groupSizes);
  const users = Array.from({ length: largest }, (_, i) => ({
    id: String(i + 1),
    name: `User ${i + 1}`,
    avatar: null,
    // Every member has a device: the push fan-out is as large as it gets.
    fcmTokens: [`bench-token-${i + 1}`],
  }));
  const conversations = groupSizes.flatMap((size) => {
    const members = users.slice(0, size).map((u) => u.id);
    return Array.from({ length: pools[size] }, (_, n) => ({
      id: conversationId(size, n),
      name: `Group of ${size} #${n}`,
      avatar: null,
      members,
    }));
  });
  return { users, conversations };
}

import { loadDirectoryData } from '@groupcall/shared/directory';

/** The demo directory plus `count` two-person conversations burst-1…burst-N (Alice and Bob). */
export function directoryWithBurst(count: number) {
  const demo = loadDirectoryData();
  const burst = Array.from({ length: count }, (_, i) => ({
    id: `burst-${i + 1}`,
    name: `Burst ${i + 1}`,
    avatar: null,
    members: ['1', '2'],
  }));
  return { users: demo.users, conversations: [...demo.conversations, ...burst] };
}

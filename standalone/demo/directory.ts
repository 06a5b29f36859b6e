import { type DirectoryData, DirectoryDataSchema } from '@groupcall/shared/directory-data';

/**
 * The demo's users and groups, served by the sfu-worker from the same file
 * its in-memory directory loads (GET /demo/directory.json), so the page
 * offers exactly the users and conversations the server knows.
 */
export type DemoDirectory = DirectoryData;
export type DemoUser = DemoDirectory['users'][number];
export type DemoConversation = DemoDirectory['conversations'][number];

export async function loadDirectory(): Promise<DemoDirectory> {
  const response = await fetch('/demo/directory.json');
  if (!response.ok) throw new Error(`Could not load the demo directory (HTTP ${response.status})`);
  return DirectoryDataSchema.parse(await response.json());
}

export function conversationsOf(directory: DemoDirectory, userId: string): DemoConversation[] {
  return directory.conversations.filter((conversation) => conversation.members.includes(userId));
}

/** The server's fallbacks for missing names ("User 42", "Group Call"). */
export function userName(user: DemoUser): string {
  return user.name ?? `User ${user.id}`;
}

export function conversationName(conversation: DemoConversation): string {
  return conversation.name ?? 'Group Call';
}

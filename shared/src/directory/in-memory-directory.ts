import { readFileSync } from 'node:fs';
import type { ConversationMembers, ConversationRecord, Directory, UserRecord } from './directory.ts';
import { type DirectoryData, DirectoryDataSchema } from './directory-data.ts';

export const demoDirectoryFile = new URL('../../demo/directory.json', import.meta.url);

export function loadDirectoryData(file: URL | string = demoDirectoryFile): DirectoryData {
  return DirectoryDataSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The embedded default directory: everything in memory. */
export class InMemoryDirectory implements Directory {
  readonly #users = new Map<string, UserRecord>();
  readonly #conversations = new Map<string, ConversationRecord & { members: string[] }>();

  constructor(data: DirectoryData) {
    for (const user of data.users) this.#users.set(user.id, { ...user });
    for (const conversation of data.conversations)
      this.#conversations.set(conversation.id, { ...conversation });
  }

  async conversationMembers(conversationId: string): Promise<ConversationMembers> {
    const entry = this.#conversations.get(conversationId);
    if (!entry) return { conversation: undefined, members: [] };
    const { members, ...conversation } = entry;
    return { conversation, members: members.flatMap((id) => this.#users.get(id) ?? []) };
  }

  async membership(conversationId: string, userId: string) {
    const entry = this.#conversations.get(conversationId);
    if (!entry) return { conversation: undefined, member: undefined };
    const { members, ...conversation } = entry;
    return { conversation, member: members.includes(userId) ? this.#users.get(userId) : undefined };
  }
}

import { CallError, conversationInfoOf, participantInfoOf } from '@groupcall/shared/calls';
import type { Directory } from '@groupcall/shared/directory';
import type { CallAccess, CallGrant } from './call-access.ts';

/** CallAccess straight from a Directory: the embedded single-process mode. */
export class DirectoryCallAccess implements CallAccess {
  readonly #directory: Directory;
  readonly #avatarBaseUrl: string | undefined;

  constructor(directory: Directory, avatarBaseUrl?: string) {
    this.#directory = directory;
    this.#avatarBaseUrl = avatarBaseUrl;
  }

  async admit(userId: string, conversationId: string): Promise<CallGrant> {
    const { conversation, member } = await this.#directory.membership(conversationId, userId);
    if (!member) throw CallError.notInGroup();
    return {
      participantInfo: participantInfoOf(userId, member, this.#avatarBaseUrl),
      conversationInfo: conversationInfoOf(conversationId, conversation, this.#avatarBaseUrl),
    };
  }

  async memberIds(conversationId: string): Promise<string[]> {
    const { members } = await this.#directory.conversationMembers(conversationId);
    return members.map((m) => m.id);
  }
}

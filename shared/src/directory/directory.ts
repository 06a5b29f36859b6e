/**
 * Who is in a conversation, and their names and avatars. The production
 * adapter reads PlanetScale (control plane); the embedded default is an
 * in-memory directory loaded from demo data.
 */
export interface UserRecord {
  id: string;
  name: string | null;
  /** A stored avatar: an absolute URL, or a path resolved against the avatar base URL. */
  avatar: string | null;
  /** The user's devices for push (FCM registration tokens). */
  fcmTokens: string[];
}

export interface ConversationRecord {
  id: string;
  name: string | null;
  avatar: string | null;
}

export interface ConversationMembers {
  /** Undefined when no such conversation exists. */
  conversation: ConversationRecord | undefined;
  /** Active (not deleted) members. */
  members: UserRecord[];
}

export interface Directory {
  /** A conversation and all its active members (what initiating a call needs). */
  conversationMembers(conversationId: string): Promise<ConversationMembers>;
  /** A conversation and one user's record if that user is an active member. */
  membership(
    conversationId: string,
    userId: string,
  ): Promise<{ conversation: ConversationRecord | undefined; member: UserRecord | undefined }>;
}

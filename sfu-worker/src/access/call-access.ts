import type { ConversationInfo, ParticipantInfo } from '@groupcall/shared/protocol';

/** What a device admitted to a call is shown as, and the call's own card. */
export interface CallGrant {
  /** The call admitted to: a room belongs to one call. */
  callId: string;
  participantInfo: ParticipantInfo;
  conversationInfo: ConversationInfo;
}

/**
 * Decides who may enter a call and who hears about it. The embedded default
 * reads the directory; a production pod trusts signed tickets and the
 * member list the control plane stored, and never reads the database.
 */
export interface CallAccess {
  /**
   * Admits `userId` to the call of `conversationId`, or throws a CallError
   * ("You are not in this group"). `accessToken` is the connection's own
   * token, for asking the control plane on the user's behalf.
   */
  admit(userId: string, conversationId: string, ticket?: string, accessToken?: string): Promise<CallGrant>;
  /** Every member of the conversation: who gets group_call_started / group_call_ended. */
  memberIds(conversationId: string): Promise<string[]>;
}

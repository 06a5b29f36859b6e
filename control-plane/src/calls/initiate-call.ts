import type { UserNotifier } from '@groupcall/shared/calls';
import { CallError } from '@groupcall/shared/calls';
import type { Directory } from '@groupcall/shared/directory';
import type { CallerInfo, CallType, ConversationInfo, ParticipantInfo } from '@groupcall/shared/protocol';
import { groupCallInitiatePushData, type PushSender } from '../push/push.ts';
import { callerInfoOf, conversationInfoOf, participantInfoOf } from './call-info.ts';

export interface InitiateCallDeps {
  directory: Directory;
  notifier: UserNotifier;
  push: PushSender;
  avatarBaseUrl?: string;
}

export interface InitiatedCall {
  conversationId: string;
  callType: CallType;
  callerInfo: CallerInfo;
  conversationInfo: ConversationInfo;
  /** Every active member (the caller too), labelled as their video tiles are. */
  members: ParticipantInfo[];
  memberIds: string[];
  /** The other members with no push token: they ring only on a connected device, if any. */
  withoutPushToken: string[];
}

/**
 * The seed's group_call_initiate: the caller must be an active member;
 * every other member's devices get `group_call_incoming` and a data push;
 * every member (the caller too) gets `group_call_started`.
 * One directory read, whatever the group size.
 */
export async function initiateGroupCall(
  deps: InitiateCallDeps,
  request: { callerId: string; conversationId: string; callType: CallType; callId?: string },
): Promise<InitiatedCall> {
  const { callerId, conversationId, callType, callId } = request;
  const { conversation, members } = await deps.directory.conversationMembers(conversationId);
  if (!conversation) throw CallError.unknownConversation();
  const caller = members.find((m) => m.id === callerId);
  if (!caller) throw CallError.notInGroup();

  const callerInfo = callerInfoOf(callerId, caller, deps.avatarBaseUrl);
  const conversationInfo = conversationInfoOf(conversationId, conversation, deps.avatarBaseUrl);
  const others = members.filter((m) => m.id !== callerId);

  deps.notifier.notifyUsers(
    others.map((m) => m.id),
    'group_call_incoming',
    { callerId, conversationId, callType, callerInfo, conversationInfo, callId },
  );
  const data = groupCallInitiatePushData({
    callerId,
    conversationId,
    callType,
    callerInfo,
    conversationInfo,
  });
  deps.push.send(
    others.filter((m) => m.fcmTokens.length > 0).map((m) => ({ userId: m.id, tokens: m.fcmTokens, data })),
  );
  const memberIds = members.map((m) => m.id);
  deps.notifier.notifyUsers(memberIds, 'group_call_started', {
    conversationId,
    callerInfo,
    conversationInfo,
    callId,
  });

  const participants = members.map((m) => participantInfoOf(m.id, m, deps.avatarBaseUrl));
  const withoutPushToken = others.filter((m) => m.fcmTokens.length === 0).map((m) => m.id);
  return {
    conversationId,
    callType,
    callerInfo,
    conversationInfo,
    members: participants,
    memberIds,
    withoutPushToken,
  };
}

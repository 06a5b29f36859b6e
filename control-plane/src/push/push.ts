import type { CallerInfo, CallType, ConversationInfo } from '@groupcall/shared/protocol';

/** A data push to one user's devices. `data` values are strings, as FCM requires. */
export interface PushMessage {
  userId: string;
  tokens: string[];
  data: Record<string, string>;
}

/** Sends data pushes. FCM in production, the log in the embedded default. */
export interface PushSender {
  /** Never throws and never blocks the caller on delivery; failures are logged and counted. */
  send(messages: PushMessage[]): void;
}

/**
 * What a push names in the log: its type and the call it is about (every
 * call push carries the conversation, and the callId where the call has one),
 * so one call's pushes are found by grepping its callId.
 */
export function pushLogFields(data: Record<string, string>): Record<string, string> {
  const { type, conversationId, callId } = data;
  return {
    ...(type !== undefined && { type }),
    ...(conversationId !== undefined && { conversationId }),
    ...(callId !== undefined && { callId }),
  };
}

/** The original server's group_call_initiate push data, field for field (and the additive callId). */
export function groupCallInitiatePushData(call: {
  callerId: string;
  conversationId: string;
  /** Additive: the call that rings (as in group_call_incoming). */
  callId?: string | undefined;
  callType: CallType;
  callerInfo: CallerInfo;
  conversationInfo: ConversationInfo;
}): Record<string, string> {
  return {
    type: 'group_call_initiate',
    success: 'true',
    title: call.conversationInfo.name,
    body: `${call.callerInfo.name} is calling`,
    message: `${call.callerInfo.name} started a group call`,
    conversationId: call.conversationId,
    ...(call.callId ? { callId: call.callId } : {}),
    data: JSON.stringify({
      callerId: call.callerId,
      callType: call.callType,
      conversationId: call.conversationId,
      ...(call.callId ? { callId: call.callId } : {}),
      callerInfo: call.callerInfo,
      conversationInfo: call.conversationInfo,
    }),
  };
}

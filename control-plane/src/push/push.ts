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

/** The original server's group_call_initiate push data, field for field. */
export function groupCallInitiatePushData(call: {
  callerId: string;
  conversationId: string;
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
    data: JSON.stringify({
      callerId: call.callerId,
      callType: call.callType,
      conversationId: call.conversationId,
      callerInfo: call.callerInfo,
      conversationInfo: call.conversationInfo,
    }),
  };
}

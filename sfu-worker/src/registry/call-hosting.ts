/**
 * Whether this pod may host a call. In a cluster a call lives on exactly one
 * pod; the embedded default hosts everything.
 */
export interface CallHosting {
  /** Takes the call on this pod, or throws a CallError naming the pod that hosts it. */
  claim(conversationId: string, callId: string): Promise<void>;
  /** The call ended here. (`callId` names it in the logs: assignments are per conversation.) */
  release(conversationId: string, callId: string): Promise<void>;
}

export const hostEverything: CallHosting = {
  claim: async () => {},
  release: async () => {},
};

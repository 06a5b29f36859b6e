import type { CallType } from '@groupcall/shared/protocol';

export interface InitiateRequest {
  callerId: string;
  conversationId: string;
  callType: CallType;
  /** The bearer token the connection authenticated with, for forwarding. */
  accessToken: string | undefined;
}

/**
 * Carries out a seed-style `group_call_initiate` received on a socket. A
 * pod never reads the database: the control plane does it (in-process in the
 * embedded default).
 */
export interface CallInitiator {
  /** Resolves with the call the request started (or joined, when one was already active). */
  initiate(request: InitiateRequest): Promise<{ callId: string | undefined }>;
}

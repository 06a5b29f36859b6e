import { type InitiateCallDeps, initiateGroupCall } from '@groupcall/shared/calls';
import type { CallType } from '@groupcall/shared/protocol';

export interface InitiateRequest {
  callerId: string;
  conversationId: string;
  callType: CallType;
  /** The bearer token the connection authenticated with, for forwarding. */
  accessToken: string | undefined;
}

/**
 * Carries out a seed-style `group_call_initiate` received on a socket. The
 * embedded default does it in-process; a production pod, which never reads
 * the database, hands it to the control plane.
 */
export interface CallInitiator {
  initiate(request: InitiateRequest): Promise<void>;
}

/** In-process initiation from a directory (the embedded default). */
export class DirectoryCallInitiator implements CallInitiator {
  readonly #deps: InitiateCallDeps;

  constructor(deps: InitiateCallDeps) {
    this.#deps = deps;
  }

  async initiate({ callerId, conversationId, callType }: InitiateRequest): Promise<void> {
    await initiateGroupCall(this.#deps, { callerId, conversationId, callType });
  }
}

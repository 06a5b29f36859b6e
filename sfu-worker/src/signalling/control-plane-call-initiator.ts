import { CallError } from '@groupcall/shared/calls';
import { ErrorMessage } from '@groupcall/shared/protocol';
import type { ControlPlaneClient } from '../control-plane-client/control-plane-client.ts';
import type { CallInitiator, InitiateRequest } from './call-initiator.ts';

/**
 * A production pod's `group_call_initiate`: the control plane checks
 * membership, rings, pushes and places the call, exactly as for
 * `POST /v1/calls`, acting as the connection's authenticated user.
 */
export class ControlPlaneCallInitiator implements CallInitiator {
  readonly #controlPlane: ControlPlaneClient;

  constructor(controlPlane: ControlPlaneClient) {
    this.#controlPlane = controlPlane;
  }

  async initiate({
    conversationId,
    callType,
    accessToken,
  }: InitiateRequest): Promise<{ callId: string | undefined }> {
    if (!accessToken) throw new CallError('unauthenticated', ErrorMessage.authenticationRequired);
    const { callId } = await this.#controlPlane.initiate(accessToken, conversationId, callType);
    return { callId };
  }
}

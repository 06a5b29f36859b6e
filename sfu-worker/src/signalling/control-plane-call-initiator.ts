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

  async initiate({ conversationId, callType, accessToken }: InitiateRequest): Promise<void> {
    if (!accessToken) throw new CallError('unauthenticated', ErrorMessage.authenticationRequired);
    await this.#controlPlane.initiate(accessToken, conversationId, callType);
  }
}

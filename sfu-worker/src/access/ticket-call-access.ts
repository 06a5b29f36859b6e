import type { KeyObject } from 'node:crypto';
import type { CallStateStore } from '@groupcall/shared/call-state';
import { CallError } from '@groupcall/shared/calls';
import { ErrorMessage } from '@groupcall/shared/protocol';
import { verifyTicket } from '@groupcall/shared/tickets';
import type { ControlPlaneClient } from '../control-plane-client/control-plane-client.ts';
import type { CallAccess, CallGrant } from './call-access.ts';

/**
 * A production pod's admission, without a database:
 *  1. a ticket from the control plane (bound to this pod, this call, this user);
 *  2. else the call's member list the control plane stored in Redis (seed-style
 *     clients that never asked the control plane);
 *  3. else, for a call not started yet, the control plane is asked to join the
 *     user in (with the user's own access token) and its ticket is checked.
 */
export class TicketCallAccess implements CallAccess {
  readonly #ticketKey: KeyObject;
  readonly #podName: string;
  readonly #callState: CallStateStore;
  readonly #controlPlane: ControlPlaneClient;

  constructor(options: {
    /** The control plane's Ed25519 public key: verifies tickets, cannot make them. */
    ticketKey: KeyObject;
    podName: string;
    callState: CallStateStore;
    controlPlane: ControlPlaneClient;
  }) {
    this.#ticketKey = options.ticketKey;
    this.#podName = options.podName;
    this.#callState = options.callState;
    this.#controlPlane = options.controlPlane;
  }

  async admit(
    userId: string,
    conversationId: string,
    ticket?: string,
    accessToken?: string,
  ): Promise<CallGrant> {
    if (ticket) return this.#fromTicket(userId, conversationId, ticket);
    const call = await this.#call(conversationId);
    if (call) {
      const member = call.members.find((m) => m.userId === userId);
      if (!member) throw CallError.notInGroup();
      return { callId: call.callId, participantInfo: member, conversationInfo: call.conversationInfo };
    }
    if (!accessToken) throw CallError.notInGroup();
    const answer = await this.#controlPlane.join(accessToken, conversationId).catch((error: unknown) => {
      // The guide's createRoom answers a conversation the user is not in with "You are not in this group".
      throw error instanceof CallError && error.code === 'not-found' ? CallError.notInGroup() : error;
    });
    return this.#fromTicket(userId, conversationId, answer.ticket);
  }

  async memberIds(conversationId: string): Promise<string[]> {
    return (await this.#call(conversationId))?.memberIds ?? [];
  }

  /** The shared call state; unreachable (Redis down) is a clear, retryable refusal. */
  async #call(conversationId: string) {
    try {
      return await this.#callState.get(conversationId);
    } catch {
      throw new CallError('unavailable', ErrorMessage.placementUnavailable);
    }
  }

  async #fromTicket(userId: string, conversationId: string, ticket: string): Promise<CallGrant> {
    const verified = await verifyTicket(this.#ticketKey, ticket, { conversationId, podName: this.#podName });
    if (verified.userId !== userId) throw new CallError('forbidden', ErrorMessage.identityMismatch);
    // A ticket outlives its call by up to its TTL: a room opened then would be
    // one nobody hears about, and a newer call in the conversation is not the ticket's.
    const call = await this.#call(conversationId);
    if (!call || (verified.callId && verified.callId !== call.callId))
      throw new CallError('not-found', ErrorMessage.callEnded);
    return {
      callId: call.callId,
      participantInfo: verified.participantInfo,
      conversationInfo: call.conversationInfo,
    };
  }
}

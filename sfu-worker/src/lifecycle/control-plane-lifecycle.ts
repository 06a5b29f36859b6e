import type { CallStateStore } from '@groupcall/shared/call-state';
import type { Logger } from '@groupcall/shared/logging';
import type { ControlPlaneClient } from '../control-plane-client/control-plane-client.ts';
import type { CallLifecycle } from './call-lifecycle.ts';

/**
 * A production pod's reports: participant counts straight into the shared
 * call state (Redis), answered/ended to the control plane's internal API,
 * which owns ringing and pushes.
 */
export class ControlPlaneLifecycle implements CallLifecycle {
  readonly #callState: CallStateStore;
  readonly #controlPlane: ControlPlaneClient;
  readonly #log: Logger;

  constructor(callState: CallStateStore, controlPlane: ControlPlaneClient, log: Logger) {
    this.#callState = callState;
    this.#controlPlane = controlPlane;
    this.#log = log.child({ component: 'call-lifecycle' });
  }

  answered(conversationId: string, userId: string): void {
    this.#report('answered', conversationId, () => this.#controlPlane.reportAnswered(conversationId, userId));
  }

  participants(conversationId: string, count: number): void {
    this.#report('participants', conversationId, () =>
      this.#callState.setParticipantCount(conversationId, count),
    );
  }

  ended(conversationId: string): void {
    this.#report('ended', conversationId, () => this.#controlPlane.reportEnded(conversationId));
  }

  #report(what: string, conversationId: string, send: () => Promise<unknown>): void {
    send().catch((error: Error) =>
      this.#log.warn({ conversationId, report: what, err: error.message }, 'call lifecycle report failed'),
    );
  }
}

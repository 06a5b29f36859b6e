import type { CallStateStore } from '@groupcall/shared/call-state';
import type { Logger } from '@groupcall/shared/logging';
import type { ControlPlaneClient } from '../control-plane-client/control-plane-client.ts';
import type { CallLifecycle } from './call-lifecycle.ts';

/** 250 ms, 0.5 s, 1 s, … up to 8 s apart: about 30 s of trying. */
const reportAttempts = 7;

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

  /**
   * Sends a report in the background, retried with backoff: a lost "ended"
   * would leave the call showing as active (and members ringing) until its
   * state expires, so a control-plane restart or a Redis blip must not drop it.
   */
  #report(what: string, conversationId: string, send: () => Promise<unknown>): void {
    const attempt = (n: number): void => {
      send().catch((error: Error) => {
        if (n >= reportAttempts) {
          this.#log.error({ conversationId, report: what, err: error.message }, 'call lifecycle report lost');
          return;
        }
        this.#log.warn(
          { conversationId, report: what, attempt: n, err: error.message },
          'call lifecycle report failed; retrying',
        );
        setTimeout(() => attempt(n + 1), Math.min(8_000, 250 * 2 ** n)).unref();
      });
    };
    attempt(1);
  }
}

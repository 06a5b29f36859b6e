import type { CallStateStore } from '@groupcall/shared/call-state';
import type { Logger } from '@groupcall/shared/logging';
import type { ControlPlaneClient } from '../control-plane-client/control-plane-client.ts';
import type { CallLifecycle } from './call-lifecycle.ts';

/** 250 ms, 0.5 s, 1 s, … up to 8 s apart: about 30 s of trying. */
const reportAttempts = 7;

/**
 * A production pod's reports: participant counts straight into the shared
 * call state (Redis), answered/participant/ended to the control plane's internal API,
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

  answered(conversationId: string, callId: string, userId: string): void {
    this.#report('answered', conversationId, callId, () =>
      this.#controlPlane.reportAnswered(conversationId, callId, userId),
    );
  }

  participant(
    conversationId: string,
    callId: string,
    change: 'joined' | 'left',
    device: { userId: string; socketId: string },
  ): void {
    this.#report(`participant ${change}`, conversationId, callId, () =>
      this.#controlPlane.reportParticipant(conversationId, callId, change, device),
    );
  }

  participants(conversationId: string, callId: string, count: number): void {
    this.#report('participants', conversationId, callId, () =>
      this.#callState.setParticipantCount(conversationId, callId, count),
    );
  }

  ended(conversationId: string, callId: string): void {
    this.#report('ended', conversationId, callId, () =>
      this.#controlPlane.reportEnded(conversationId, callId),
    );
  }

  /**
   * Sends a report in the background, retried with backoff: a lost "ended"
   * would leave the call showing as active (and members ringing) until its
   * state expires, so a control-plane restart or a Redis blip must not drop it.
   * A retry that arrives after a newer call started names the old callId and
   * leaves the newer call alone.
   */
  #report(what: string, conversationId: string, callId: string, send: () => Promise<unknown>): void {
    const attempt = (n: number): void => {
      send().catch((error: Error) => {
        if (n >= reportAttempts) {
          this.#log.error(
            { conversationId, callId, report: what, err: error.message },
            'call lifecycle report lost',
          );
          return;
        }
        this.#log.warn(
          { conversationId, callId, report: what, attempt: n, err: error.message },
          'call lifecycle report failed; retrying',
        );
        setTimeout(() => attempt(n + 1), Math.min(8_000, 250 * 2 ** n)).unref();
      });
    };
    attempt(1);
  }
}

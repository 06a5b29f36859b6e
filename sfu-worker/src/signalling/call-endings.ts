import type { Logger } from '@groupcall/shared/logging';
import type { CallLifecycle } from '../lifecycle/call-lifecycle.ts';
import type { CallObserver } from '../metrics/call-metrics.ts';

/**
 * What happens once when a call's room closes on this pod: the control plane
 * is told, naming the call. It ends that call (if it is still the
 * conversation's call) and tells every member `group_call_ended`.
 */
export class CallEndings {
  readonly #lifecycle: CallLifecycle;
  readonly #log: Logger;
  readonly #calls: CallObserver;

  constructor(options: { lifecycle: CallLifecycle; log: Logger; calls: CallObserver }) {
    this.#lifecycle = options.lifecycle;
    this.#log = options.log;
    this.#calls = options.calls;
  }

  ended(room: { id: string; callId: string; createdAt: Date }): void {
    this.#log.info({ conversationId: room.id, callId: room.callId }, 'call room closed: reporting the end');
    this.#calls.ended((Date.now() - room.createdAt.getTime()) / 1000);
    this.#lifecycle.ended(room.id, room.callId);
  }
}

import type { Logger } from '@groupcall/shared/logging';
import type { CallLifecycle } from '../lifecycle/call-lifecycle.ts';

/**
 * What happens once when a call's room closes on this pod: the control plane
 * is told, naming the call. It ends that call (if it is still the
 * conversation's call) and tells every member `group_call_ended`.
 */
export class CallEndings {
  readonly #lifecycle: CallLifecycle;
  readonly #log: Logger;

  constructor(options: { lifecycle: CallLifecycle; log: Logger }) {
    this.#lifecycle = options.lifecycle;
    this.#log = options.log;
  }

  ended(room: { id: string; callId: string }): void {
    this.#log.info({ conversationId: room.id, callId: room.callId }, 'call room closed: reporting the end');
    this.#lifecycle.ended(room.id, room.callId);
  }
}

import type { PushMessage, PushSender } from '../../../src/push/push.ts';

/**
 * Keeps every push; sends it nowhere else (FCM itself is tested with the FCM
 * sender) unless given a sender to pass it on to.
 */
export class RecordingPushSender implements PushSender {
  readonly sent: PushMessage[] = [];
  readonly #next: PushSender | undefined;

  constructor(next?: PushSender) {
    this.#next = next;
  }

  send(messages: PushMessage[]): void {
    this.sent.push(...messages);
    this.#next?.send(messages);
  }

  /** Pushes of one `type` (group_call_initiate, …), in order. */
  ofType(type: string): PushMessage[] {
    return this.sent.filter((m) => m.data.type === type);
  }

  /** Stop-ringing pushes (they carry a `reason`: declined, answered, ended, missed), in order. */
  ringStops(): PushMessage[] {
    return this.sent.filter((m) => m.data.reason !== undefined);
  }
}

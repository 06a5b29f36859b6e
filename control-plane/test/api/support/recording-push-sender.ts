import type { PushMessage, PushSender } from '../../../src/push/push.ts';

/** Keeps every push instead of sending it (FCM itself is tested with the FCM sender). */
export class RecordingPushSender implements PushSender {
  readonly sent: PushMessage[] = [];

  send(messages: PushMessage[]): void {
    this.sent.push(...messages);
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

import type { Logger } from '@groupcall/shared/logging';
import type { PushMessage, PushSender } from './push.ts';

/** The embedded default's push: each message goes to the log instead of FCM. */
export class LogPushSender implements PushSender {
  readonly #log: Logger;
  readonly sent: PushMessage[] = [];

  constructor(log: Logger) {
    this.#log = log.child({ component: 'push' });
  }

  send(messages: PushMessage[]): void {
    for (const message of messages) {
      this.sent.push(message);
      this.#log.info(
        {
          userId: message.userId,
          tokens: message.tokens.length,
          type: message.data.type,
          data: message.data,
        },
        'push (log only: embedded default has no FCM)',
      );
    }
  }
}

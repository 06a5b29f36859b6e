import { Webhook } from 'standardwebhooks';
import type { WebhookMessage } from './call-events.ts';

export interface WebhookSettings {
  /** Where events are POSTed. */
  url: string;
  /** `whsec_` + base64 key (Standard Webhooks); the receiver verifies with the same secret. */
  secret: string;
  /** Longest wait for the receiver's answer. */
  timeoutMs: number;
}

/**
 * POSTs one webhook, signed as the Standard Webhooks specification says
 * (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 over
 * `id.timestamp.body`). Every attempt is signed anew with the current time,
 * since receivers reject old timestamps. Throws unless the answer is 2xx.
 */
export class WebhookSender {
  readonly #settings: WebhookSettings;
  readonly #signer: Webhook;

  constructor(settings: WebhookSettings) {
    this.#settings = settings;
    this.#signer = new Webhook(settings.secret);
  }

  async send(message: WebhookMessage): Promise<void> {
    const now = new Date();
    const response = await fetch(this.#settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': this.#signer.sign(message.id, now, message.body),
      },
      body: message.body,
      signal: AbortSignal.timeout(this.#settings.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  }
}

import type { Logger } from '@groupcall/shared/logging';
import type { Clock } from '../clock.ts';
import { backoffDelayMs, type RetryPolicy } from '../push/retry-backoff.ts';
import {
  type CallEvent,
  type CallEventPublisher,
  type WebhookMessage,
  webhookMessage,
} from './call-events.ts';
import type { WebhookSender } from './webhook-sender.ts';

/**
 * The embedded default's webhooks: a FIFO per call in this process, each
 * drained by one loop that retries its head with backoff before moving on,
 * so a call's events arrive in order. Events still queued when the process
 * stops are lost (the service queues them in Redis instead).
 */
export class InProcessCallEvents implements CallEventPublisher {
  readonly #sender: Pick<WebhookSender, 'send'>;
  readonly #retry: RetryPolicy;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #queues = new Map<string, WebhookMessage[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: {
    sender: Pick<WebhookSender, 'send'>;
    retry: RetryPolicy;
    clock: Clock;
    log: Logger;
  }) {
    this.#sender = options.sender;
    this.#retry = options.retry;
    this.#clock = options.clock;
    this.#log = options.log.child({ component: 'webhooks' });
  }

  async publish(event: CallEvent): Promise<void> {
    if (this.#closed) return;
    const message = webhookMessage(event, this.#clock.now());
    const queue = this.#queues.get(message.callId);
    if (queue) {
      queue.push(message);
      return;
    }
    this.#queues.set(message.callId, [message]);
    void this.#drain(message.callId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #drain(callId: string): Promise<void> {
    const queue = this.#queues.get(callId) ?? [];
    for (let head = queue[0]; head && !this.#closed; head = queue[0]) {
      await this.#deliver(head);
      queue.shift();
    }
    this.#queues.delete(callId);
  }

  /** Tries one message until it is delivered or out of attempts (then it is logged and dropped). */
  async #deliver(message: WebhookMessage): Promise<void> {
    for (let attempt = 1; !this.#closed; attempt++) {
      try {
        await this.#sender.send(message);
        return;
      } catch (error) {
        const { id, callId } = message;
        if (attempt >= this.#retry.maxAttempts) {
          this.#log.error({ err: error, webhookId: id, callId, attempts: attempt }, 'webhook dropped');
          return;
        }
        this.#log.warn({ err: error, webhookId: id, callId, attempt }, 'webhook failed; retrying');
        await this.#pause(backoffDelayMs(this.#retry, attempt));
      }
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.#timers.add(timer);
    });
  }
}

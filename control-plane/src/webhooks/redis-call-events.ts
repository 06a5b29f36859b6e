import { randomUUID } from 'node:crypto';
import { RedisScript } from '@groupcall/shared/call-state';
import type { Logger } from '@groupcall/shared/logging';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { backoffDelayMs, type RetryPolicy } from '../push/retry-backoff.ts';
import {
  type CallEvent,
  type CallEventPublisher,
  type WebhookMessage,
  webhookMessage,
} from './call-events.ts';
import type { WebhookSender } from './webhook-sender.ts';

/*
 * Why this shape (and not one BullMQ job per event): BullMQ retries a failed
 * job later while the jobs behind it go ahead, so per-event jobs would let
 * event N+1 of a call overtake event N that is waiting for its retry. Instead:
 *
 *   groupcall:webhooks:call:{<callId>}        list: the call's undelivered messages, oldest first
 *   groupcall:webhooks:call:{<callId>}:lock   who is draining that list now (token, expires)
 *
 * `publish` appends the message to its call's list, then adds a BullMQ job
 * "drain this call". A drain takes the call's lock, and delivers the list's
 * head until the list is empty; a message leaves the list only once the
 * receiver accepted it. When the head fails, the job fails and BullMQ retries
 * it with backoff: the later messages wait behind it, so order holds under
 * retries. A drain that finds the lock taken steps aside (delayed, not
 * failed) and looks again later; whoever holds the lock delivers its message
 * anyway. Lists and jobs live in Redis: a replica that stops (rollout, crash)
 * loses nothing, and any replica's worker carries on. A message that fails
 * every attempt is dropped (logged) so the call's later events still go out.
 */

// KEYS: list, lock. ARGV: the head as read, lock token. Removes the head only if it is still that
// message and the caller still holds the lock (a stale drainer cannot remove someone else's head).
const removeHeadScript = new RedisScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
return 1
`);

// KEYS: lock. ARGV: token, ttl ms. Extends the lock if held by token.
const extendLockScript = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`);

// KEYS: lock. ARGV: token. Releases the lock if held by token.
const releaseLockScript = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`);

const MessageSchema = z.object({ id: z.string(), callId: z.string(), body: z.string() });
const DrainJobSchema = z.object({ callId: z.string() });
const queueName = 'groupcall-webhooks';
const backoffType = 'webhook';
/** Undelivered messages of a call are kept at most this long (an unreachable backend for a week). */
const listExpirySeconds = 7 * 24 * 3600;

export class RedisCallEvents implements CallEventPublisher {
  readonly #redis: Redis;
  readonly #sender: Pick<WebhookSender, 'send'>;
  readonly #retry: RetryPolicy;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #lockTtlMs: number;
  readonly #queue: Queue;
  readonly #worker: Worker;
  readonly #connections: Redis[];

  /** `connect` makes a connection for BullMQ (it needs its own, with maxRetriesPerRequest null). */
  constructor(options: {
    redis: Redis;
    connect: () => Redis;
    sender: Pick<WebhookSender, 'send'>;
    retry: RetryPolicy;
    /** Longest a delivery can take; the drain lock outlives it. */
    timeoutMs: number;
    clock: Clock;
    log: Logger;
  }) {
    this.#redis = options.redis;
    this.#sender = options.sender;
    this.#retry = options.retry;
    this.#clock = options.clock;
    this.#log = options.log.child({ component: 'webhooks' });
    this.#lockTtlMs = options.timeoutMs * 3;
    this.#connections = [options.connect(), options.connect()];
    const [queueConnection, workerConnection] = this.#connections as [Redis, Redis];
    this.#queue = new Queue(queueName, { connection: queueConnection });
    this.#worker = new Worker(queueName, (job, token) => this.#drain(job, token), {
      connection: workerConnection,
      settings: { backoffStrategy: (attemptsMade) => backoffDelayMs(this.#retry, attemptsMade) },
    });
    this.#worker.on('error', (error) => this.#log.warn({ err: error }, 'webhook worker error'));
    this.#queue.on('error', (error) => this.#log.warn({ err: error }, 'webhook queue error'));
  }

  async publish(event: CallEvent): Promise<void> {
    const message = webhookMessage(event, this.#clock.now());
    const list = listKey(message.callId);
    try {
      await this.#redis.multi().rpush(list, JSON.stringify(message)).expire(list, listExpirySeconds).exec();
      await this.#enqueueDrain(message.callId);
    } catch (error) {
      // The call goes on; only the backend misses this event.
      this.#log.error(
        { err: error, webhookId: message.id, callId: message.callId, type: event.type },
        'webhook event lost: could not queue it',
      );
    }
  }

  /** Lets a delivery under way finish (its job completes or fails), then disconnects. */
  async close(): Promise<void> {
    await this.#worker.close();
    await this.#queue.close();
    for (const connection of this.#connections) connection.disconnect();
  }

  async #enqueueDrain(callId: string): Promise<void> {
    await this.#queue.add(
      'drain',
      { callId },
      {
        attempts: this.#retry.maxAttempts,
        backoff: { type: backoffType },
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      },
    );
  }

  async #drain(job: Job, token: string | undefined): Promise<void> {
    const { callId } = DrainJobSchema.parse(job.data);
    const lock = lockKey(callId);
    const lockToken = randomUUID();
    const taken = await this.#redis.set(lock, lockToken, 'PX', this.#lockTtlMs, 'NX');
    if (taken !== 'OK') {
      // Another drain is delivering this call's messages; look again once it likely has.
      await job.moveToDelayed(this.#clock.now() + this.#retry.baseDelayMs, token);
      throw new DelayedError();
    }
    try {
      await this.#deliverAll(job, callId, lockToken);
    } finally {
      await releaseLockScript.run(this.#redis, [lock], [lockToken]);
    }
  }

  async #deliverAll(job: Job, callId: string, lockToken: string): Promise<void> {
    const list = listKey(callId);
    const lock = lockKey(callId);
    for (;;) {
      const head = await this.#redis.lindex(list, 0);
      if (head === null) return;
      const message = parseMessage(head);
      try {
        if (message) await this.#sender.send(message);
      } catch (error) {
        const lastAttempt = job.attemptsMade + 1 >= this.#retry.maxAttempts;
        if (!lastAttempt) {
          this.#log.warn(
            { err: error, webhookId: message?.id, callId, attempt: job.attemptsMade + 1 },
            'webhook failed; retrying',
          );
          throw error;
        }
        this.#log.error(
          { err: error, webhookId: message?.id, callId, attempts: job.attemptsMade + 1 },
          'webhook dropped',
        );
        // The later messages get a drain of their own, with all its attempts.
        await removeHeadScript.run(this.#redis, [list, lock], [head, lockToken]);
        await this.#enqueueDrain(callId);
        return;
      }
      await removeHeadScript.run(this.#redis, [list, lock], [head, lockToken]);
      await extendLockScript.run(this.#redis, [lock], [lockToken, this.#lockTtlMs]);
    }
  }
}

function parseMessage(text: string): WebhookMessage | undefined {
  try {
    return MessageSchema.parse(JSON.parse(text));
  } catch {
    return undefined; // not ours: skipped
  }
}

function listKey(callId: string): string {
  return `groupcall:webhooks:call:{${callId}}`;
}

function lockKey(callId: string): string {
  return `${listKey(callId)}:lock`;
}

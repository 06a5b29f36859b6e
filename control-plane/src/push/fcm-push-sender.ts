import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@groupcall/shared/logging';
import type { BatchResponse, MulticastMessage } from 'firebase-admin/messaging';
import type { PushCounters } from '../metrics/push-counters.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { classifyFailure, errorCode, type FailureKind } from './fcm-errors.ts';
import { type FcmMessageBase, fcmMessageFor } from './fcm-message.ts';
import type { PushMessage, PushSender } from './push.ts';
import { type PushBatch, planBatches } from './push-batches.ts';
import { backoffDelayMs, defaultRetryPolicy, type RetryPolicy } from './retry-backoff.ts';
import type { TokenStore } from './token-store.ts';

/**
 * Counters since start, per token (one device): `sent` accepted by FCM,
 * `failed` given up on (dead tokens included), `retried` sent again after a
 * transient failure, `pruned` removed from the token store.
 */
export interface PushMetrics {
  sent: number;
  failed: number;
  retried: number;
  pruned: number;
}

/** The part of firebase-admin's `Messaging` the sender uses. */
export interface MulticastSender {
  sendEachForMulticast(message: MulticastMessage): Promise<BatchResponse>;
}

export interface FcmPushSenderOptions {
  messaging: MulticastSender;
  log: Logger;
  /** Where dead tokens are removed. Without one they are only logged. */
  tokenStore?: TokenStore;
  /** Also reports the counts here (the /metrics registry). */
  counters?: PushCounters;
  retry?: Partial<RetryPolicy>;
  /** How long a ring stays deliverable (FCM TTL, APNs expiry). Default 60 s. */
  ringTtlSeconds?: number;
  /** sendEachForMulticast calls in flight at once. Default 4. */
  maxConcurrentBatches?: number;
}

/** What became of each token of one sendEachForMulticast call. */
interface AttemptOutcome {
  delivered: number;
  byKind: Record<FailureKind, string[]>;
  /** Failure counts by error code, for the log. */
  errors: Record<string, number>;
}

/**
 * The production PushSender: Firebase Cloud Messaging through firebase-admin.
 *
 * send() only plans the work and returns; delivery runs in the background.
 * Messages with the same data share multicast batches of up to 500 tokens.
 * Tokens FCM reports dead are removed through the TokenStore; transient
 * failures are retried with exponential backoff and jitter, a bounded
 * number of times. Nothing is ever thrown at the caller: failures are
 * logged and counted. idle() waits for everything in flight (tests,
 * graceful shutdown).
 */
export class FcmPushSender implements PushSender {
  readonly #messaging: MulticastSender;
  readonly #log: Logger;
  readonly #tokenStore: TokenStore | undefined;
  readonly #retry: RetryPolicy;
  readonly #ringTtlSeconds: number;
  readonly #batches: ConcurrencyLimit;
  /** Token removals at once: each is a short database transaction. */
  readonly #removals = new ConcurrencyLimit(8);
  readonly #inFlight = new Set<Promise<void>>();
  readonly #metrics: PushMetrics = { sent: 0, failed: 0, retried: 0, pruned: 0 };
  readonly #counters: PushCounters | undefined;

  constructor(options: FcmPushSenderOptions) {
    this.#messaging = options.messaging;
    this.#log = options.log.child({ component: 'fcm-push' });
    this.#tokenStore = options.tokenStore;
    this.#counters = options.counters;
    this.#retry = { ...defaultRetryPolicy, ...options.retry };
    this.#ringTtlSeconds = options.ringTtlSeconds ?? 60;
    this.#batches = new ConcurrencyLimit(options.maxConcurrentBatches ?? 4);
  }

  send(messages: PushMessage[]): void {
    const now = Date.now();
    for (const batch of planBatches(messages)) {
      const message = fcmMessageFor(batch.data, { ringTtlSeconds: this.#ringTtlSeconds, now });
      const delivery = this.#deliver(batch, message).catch((error: unknown) => {
        this.#log.error({ err: error, type: batch.data.type }, 'push delivery failed unexpectedly');
      });
      this.#inFlight.add(delivery);
      void delivery.then(() => this.#inFlight.delete(delivery));
    }
  }

  /** A snapshot of the counters. */
  metrics(): PushMetrics {
    return { ...this.#metrics };
  }

  /** Resolves once every push sent so far is delivered, given up on, and its dead tokens pruned. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #count(counter: Exclude<keyof PushMetrics, 'failed'>, count: number): void {
    if (count === 0) return;
    this.#metrics[counter] += count;
    if (counter === 'sent') this.#counters?.sent(count);
    else if (counter === 'pruned') this.#counters?.tokensPruned(count);
  }

  #countFailed(count: number, reason: FailureKind): void {
    if (count === 0) return;
    this.#metrics.failed += count;
    this.#counters?.failed(count, reason);
  }

  async #deliver(batch: PushBatch, message: FcmMessageBase): Promise<void> {
    // Start on a later turn of the event loop: the SDK validates and copies
    // every message synchronously, and that work must not run inside send().
    await nextTurn();
    const log = this.#log.child({ type: batch.data.type, conversationId: batch.data.conversationId });
    const dead: string[] = [];
    let pending = batch.tokens;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const outcome = await this.#batches.run(() => this.#sendOnce(message, pending));
      const { 'dead-token': deadTokens, transient, permanent } = outcome.byKind;
      this.#count('sent', outcome.delivered);
      this.#countFailed(deadTokens.length, 'dead-token');
      this.#countFailed(permanent.length, 'permanent');
      dead.push(...deadTokens);

      const failed = pending.length - outcome.delivered;
      if (failed > 0) {
        log.warn(
          { attempt, tokens: pending.length, delivered: outcome.delivered, errors: outcome.errors },
          'FCM rejected some pushes',
        );
      }
      if (transient.length === 0) break;
      if (attempt >= this.#retry.maxAttempts) {
        this.#countFailed(transient.length, 'transient');
        log.warn(
          { attempts: attempt, tokens: transient.length },
          'giving up on pushes after repeated FCM failures',
        );
        break;
      }
      this.#count('retried', transient.length);
      await sleep(backoffDelayMs(this.#retry, attempt));
      pending = transient;
    }
    log.debug({ tokens: batch.tokens.length }, 'push batch done');
    if (dead.length > 0) await this.#prune(batch, dead, log);
  }

  async #sendOnce(message: FcmMessageBase, tokens: string[]): Promise<AttemptOutcome> {
    const outcome: AttemptOutcome = {
      delivered: 0,
      byKind: { 'dead-token': [], transient: [], permanent: [] },
      errors: {},
    };
    const fail = (token: string, error: unknown, kind: FailureKind) => {
      outcome.byKind[kind].push(token);
      const code = errorCode(error);
      outcome.errors[code] = (outcome.errors[code] ?? 0) + 1;
    };

    let response: BatchResponse;
    try {
      response = await this.#messaging.sendEachForMulticast({ ...message, tokens });
    } catch (error) {
      // The whole call failed (the SDK rejected the message itself): it says
      // nothing about any one token, so never treat the tokens as dead.
      const kind = classifyFailure(error);
      for (const token of tokens) fail(token, error, kind === 'dead-token' ? 'permanent' : kind);
      return outcome;
    }
    response.responses.forEach((result, index) => {
      const token = tokens[index];
      if (token === undefined) return;
      if (result.success) outcome.delivered += 1;
      else fail(token, result.error, classifyFailure(result.error));
    });
    return outcome;
  }

  /** Removes dead tokens from their owners, one short transaction per user. */
  async #prune(batch: PushBatch, dead: string[], log: Logger): Promise<void> {
    const tokenStore = this.#tokenStore;
    if (!tokenStore) {
      log.info({ tokens: dead.length }, 'FCM reported dead tokens; no token store to remove them from');
      return;
    }
    const byUser = new Map<string, string[]>();
    for (const token of dead) {
      for (const userId of batch.owners.get(token) ?? [])
        byUser.set(userId, [...(byUser.get(userId) ?? []), token]);
    }
    await Promise.all(
      [...byUser].map(([userId, tokens]) =>
        this.#removals.run(async () => {
          try {
            const removed = await tokenStore.removeFcmTokens(userId, tokens);
            this.#count('pruned', removed);
            log.info({ userId, removed }, 'removed dead FCM tokens');
          } catch (error) {
            log.warn({ err: error, userId, tokens: tokens.length }, 'could not remove dead FCM tokens');
          }
        }),
      ),
    );
  }
}

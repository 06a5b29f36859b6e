import type { FailureKind } from '../push/fcm-errors.ts';

/** Why pushes failed, the `reason` label of groupcall_push_failed_total. */
export type PushFailureReason = FailureKind;

/**
 * What a PushSender reports so /metrics can count pushes without knowing
 * FCM. Counts are per device token: one message to a user with three phones
 * counts three.
 */
export interface PushCounters {
  /** Tokens the push service accepted. */
  sent(count: number): void;
  /**
   * Tokens it refused or could not be reached for: `dead-token` (the app is
   * gone), `permanent` (this push cannot be sent), `transient` (FCM kept
   * failing through the retries).
   */
  failed(count: number, reason: PushFailureReason): void;
  /** Dead tokens (unregistered apps) removed from the directory. */
  tokensPruned(count: number): void;
}

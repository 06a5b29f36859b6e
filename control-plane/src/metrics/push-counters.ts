/**
 * What a PushSender reports so /metrics can count pushes without knowing
 * FCM. Counts are per device token: one message to a user with three phones
 * counts three.
 */
export interface PushCounters {
  /** Tokens the push service accepted. */
  sent(count: number): void;
  /** Tokens it refused or could not be reached for. */
  failed(count: number): void;
  /** Dead tokens (unregistered apps) removed from the directory. */
  tokensPruned(count: number): void;
}

/**
 * What the rest of the system hears from a pod about its calls. The control
 * plane owns ringing and pushes; the pod reports the moments that change them.
 * Reports never block or fail signalling: they are logged when they fail.
 */
export interface CallLifecycle {
  /** A user's device entered the call: their other devices stop ringing. */
  answered(conversationId: string, userId: string): void;
  /** How many devices are in the call now (the "Join call" banner, and keeps the call state alive). */
  participants(conversationId: string, count: number): void;
  /** The call's room emptied: stop any ringing, forget the call. */
  ended(conversationId: string): void;
}

export const silentLifecycle: CallLifecycle = {
  answered: () => {},
  participants: () => {},
  ended: () => {},
};

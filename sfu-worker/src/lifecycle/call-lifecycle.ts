/**
 * What the rest of the system hears from a pod about its calls. The control
 * plane owns ringing, pushes and telling members a call ended; the pod
 * reports the moments that change them, each naming its call (callId), so a
 * late report about an earlier call never touches a newer one.
 * Reports never block or fail signalling: they are logged when they fail.
 */
export interface CallLifecycle {
  /** A user's device entered the call: their other devices stop ringing. */
  answered(conversationId: string, callId: string, userId: string): void;
  /** A device entered (`joined`) or left the call's room (webhooks for the app backend). */
  participant(
    conversationId: string,
    callId: string,
    change: 'joined' | 'left',
    device: { userId: string; socketId: string },
  ): void;
  /** How many devices are in the call now (the "Join call" banner, and keeps the call state alive). */
  participants(conversationId: string, callId: string, count: number): void;
  /** The call's room closed (empty past its grace, pod shutdown, lost media): the call is over. */
  ended(conversationId: string, callId: string): void;
}

export const silentLifecycle: CallLifecycle = {
  answered: () => {},
  participant: () => {},
  participants: () => {},
  ended: () => {},
};

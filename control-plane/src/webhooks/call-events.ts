import { randomUUID } from 'node:crypto';
import type { CallType } from '@groupcall/shared/protocol';

/**
 * What the app backend (Threads) hears about calls, as webhooks: the
 * payloads follow the Standard Webhooks shape `{type, timestamp, data}`, and
 * every `data` names its call (callId) and conversation.
 */
export type CallEvent =
  | {
      type: 'call.started';
      data: CallRef & { callType: CallType; startedBy: string; startedAt: string };
    }
  | { type: 'participant.joined' | 'participant.left'; data: CallRef & DeviceRef }
  | {
      type: 'call.ended';
      data: CallRef & {
        startedAt: string;
        endedAt: string;
        durationMs: number;
        /** The most devices in the room at once. */
        peakParticipants: number;
        reason: string;
      };
    }
  | { type: 'ring.missed'; data: CallRef & { userId: string; callerId: string } };

interface CallRef {
  callId: string;
  conversationId: string;
}

interface DeviceRef {
  userId: string;
  /** The device's signalling connection (as in participantLeft/newProducer). */
  socketId: string;
}

/**
 * Hands call events to the app backend: at least once, each call's events in
 * the order they were published. `publish` resolves once the event is queued
 * (in Redis for the service, so a restart loses none).
 */
export interface CallEventPublisher {
  /** Never throws: an event that cannot be queued is logged, and the call goes on. */
  publish(event: CallEvent): Promise<void>;
  /** Stops delivering; queued events stay queued where the queue outlives the process. */
  close(): Promise<void>;
}

/** Without WEBHOOK_URL: events go nowhere. */
export const noCallEvents: CallEventPublisher = {
  publish: async () => {},
  close: async () => {},
};

/**
 * One event as it is delivered: its webhook-id (the same for every retry, so
 * receivers can drop duplicates) and its body, fixed when it was published.
 */
export interface WebhookMessage {
  id: string;
  callId: string;
  body: string;
}

export function webhookMessage(event: CallEvent, nowMs: number): WebhookMessage {
  return {
    id: `msg_${randomUUID()}`,
    callId: event.data.callId,
    body: JSON.stringify({ type: event.type, timestamp: new Date(nowMs).toISOString(), data: event.data }),
  };
}

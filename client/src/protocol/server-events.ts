import { z } from 'zod';
import { SfuEndpointSchema } from './calls-api.ts';
import { CallerInfoSchema, ConversationInfoSchema, ParticipantInfoSchema } from './info.ts';
import { FieldLimit } from './limits.ts';
import {
  CallIdSchema,
  CallTypeSchema,
  ConversationIdSchema,
  MediaKindSchema,
  MediasoupIdSchema,
  UserIdSchema,
} from './primitives.ts';
import { MediaSourceSchema } from './track-events.ts';

/** Payloads of the events the server emits. */

export const GroupCallIncomingSchema = z.object({
  callerId: UserIdSchema,
  conversationId: ConversationIdSchema,
  callType: CallTypeSchema,
  callerInfo: CallerInfoSchema,
  conversationInfo: ConversationInfoSchema,
  /** Additive: which call is ringing (old clients ignore it). */
  callId: CallIdSchema.optional(),
});
export type GroupCallIncoming = z.infer<typeof GroupCallIncomingSchema>;

/** `callerInfo` is present only when the call came from group_call_initiate. */
export const GroupCallStartedSchema = z.object({
  conversationId: ConversationIdSchema,
  conversationInfo: ConversationInfoSchema,
  callerInfo: CallerInfoSchema.optional(),
  /** Additive: which call started. */
  callId: CallIdSchema.optional(),
});
export type GroupCallStarted = z.infer<typeof GroupCallStartedSchema>;

export const GroupCallEndedSchema = z.object({
  conversationId: ConversationIdSchema,
  /** Additive: which call ended (a newer call in the conversation goes on). */
  callId: CallIdSchema.optional(),
});
export type GroupCallEnded = z.infer<typeof GroupCallEndedSchema>;

/** A failed request that had no ack callback. */
export const GroupCallErrorSchema = z.object({
  message: z.string().max(FieldLimit.messageLength),
  /** Only with "This call is hosted on another server: …": where to connect instead. */
  endpoint: SfuEndpointSchema.optional(),
});
export type GroupCallError = z.infer<typeof GroupCallErrorSchema>;

export const NewProducerSchema = z.object({
  producerId: MediasoupIdSchema,
  kind: MediaKindSchema,
  socketId: z.string(),
  participantInfo: ParticipantInfoSchema.optional(),
  /** Additive: the owner paused it (muted, camera off). */
  paused: z.boolean().optional(),
  /** Additive: what it carries, when the owner said so. */
  source: MediaSourceSchema.optional(),
});
export type NewProducer = z.infer<typeof NewProducerSchema>;

export const ParticipantLeftSchema = z.object({ socketId: z.string() });
export type ParticipantLeft = z.infer<typeof ParticipantLeftSchema>;

export const ConsumerClosedSchema = z.object({
  consumerId: MediasoupIdSchema,
  producerId: MediasoupIdSchema,
});
export type ConsumerClosed = z.infer<typeof ConsumerClosedSchema>;

export const CallInterruptedSchema = z.object({
  conversationId: ConversationIdSchema,
  /** media-worker-died: rejoin here; server-shutdown / call-moved: ask the control plane where to rejoin. */
  reason: z.enum(['media-worker-died', 'server-shutdown', 'call-moved']),
});
export type CallInterrupted = z.infer<typeof CallInterruptedSchema>;

export const RingStopReasonSchema = z.enum(['declined', 'answered', 'ended', 'missed']);
export type RingStopReason = z.infer<typeof RingStopReasonSchema>;

export const GroupCallRingStoppedSchema = z.object({
  conversationId: ConversationIdSchema,
  reason: RingStopReasonSchema,
  /** Additive: the call that stopped ringing. */
  callId: CallIdSchema.optional(),
});
export type GroupCallRingStopped = z.infer<typeof GroupCallRingStoppedSchema>;

/** Additive: sent to the caller's devices when a member declines their call. */
export const GroupCallDeclinedSchema = z.object({
  conversationId: ConversationIdSchema,
  callId: CallIdSchema,
  /** The member who declined. */
  userId: UserIdSchema,
});
export type GroupCallDeclined = z.infer<typeof GroupCallDeclinedSchema>;

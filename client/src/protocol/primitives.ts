import { z } from 'zod';
import { FieldLimit } from './limits.ts';

/** Characters allowed in user and conversation ids: no spaces, no markup. */
const idPattern = /^[A-Za-z0-9_.:@-]+$/;

/**
 * A user id. The guide sends strings ("42"); some clients send numbers, so a
 * non-negative integer is accepted and turned into its decimal string.
 */
export const UserIdSchema = z
  .union([
    z.string().min(1).max(FieldLimit.idLength).regex(idPattern),
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ])
  // A pipe rather than a transform: same result, and its output (a string) can be
  // described in JSON Schema (the AsyncAPI document's server payloads).
  .pipe(z.coerce.string());
export type UserId = string;

export const ConversationIdSchema = z.string().min(1).max(FieldLimit.idLength).regex(idPattern);
export type ConversationId = z.infer<typeof ConversationIdSchema>;

/**
 * A call's own id, made when it starts (a UUID): several calls happen one
 * after another in one conversation, and reports, ends and ring timeouts
 * name the one they mean.
 */
export const CallIdSchema = z.string().min(1).max(FieldLimit.idLength).regex(idPattern);
export type CallId = z.infer<typeof CallIdSchema>;

/** Ids of mediasoup transports, producers and consumers (UUIDs). */
export const MediasoupIdSchema = z.string().min(1).max(FieldLimit.mediasoupIdLength);

/** A resume credential: an opaque random token issued by the pod (base64url). */
export const ResumeTokenSchema = z
  .string()
  .min(1)
  .max(FieldLimit.idLength)
  .regex(/^[\w-]+$/);

export const CallTypeSchema = z.enum(['video', 'audio']);
export type CallType = z.infer<typeof CallTypeSchema>;

export const MediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKindSchema>;

export const TransportDirectionSchema = z.enum(['send', 'recv']);
export type TransportDirection = z.infer<typeof TransportDirectionSchema>;

export const AvatarSchema = z.string().max(FieldLimit.urlLength).nullable();
export const DisplayNameSchema = z.string().max(FieldLimit.nameLength);

/**
 * Where a member stands with a ringing call: still ringing, accepted (joined),
 * declined, missed (the ring timed out), or unreachable (nothing to ring).
 */
export const RingStateSchema = z.enum(['ringing', 'accepted', 'declined', 'missed', 'unreachable']);
export type RingState = z.infer<typeof RingStateSchema>;

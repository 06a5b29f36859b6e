import { z } from 'zod';
import { AvatarSchema, ConversationIdSchema, DisplayNameSchema, UserIdSchema } from './primitives.ts';

/**
 * The name/avatar records the server attaches to events so clients can build
 * their UI without asking anyone else. Avatar is null when the user or group
 * has none: clients show initials.
 */

/** `callerInfo` — the seed sends the caller's id as a number ("id": 42) when numeric. */
export const CallerInfoSchema = z.object({
  id: z.union([z.number(), z.string()]),
  name: DisplayNameSchema,
  avatar: AvatarSchema,
});
export type CallerInfo = z.infer<typeof CallerInfoSchema>;

/** `conversationInfo` */
export const ConversationInfoSchema = z.object({
  id: ConversationIdSchema,
  name: DisplayNameSchema,
  avatar: AvatarSchema,
});
export type ConversationInfo = z.infer<typeof ConversationInfoSchema>;

/** `participantInfo` — labels a participant's video tile. */
export const ParticipantInfoSchema = z.object({
  userId: UserIdSchema,
  name: DisplayNameSchema,
  avatar: AvatarSchema,
});
export type ParticipantInfo = z.infer<typeof ParticipantInfoSchema>;

/** The seed's callerInfo.id: a number when the user id is numeric, else the string. */
export function callerInfoId(userId: string): number | string {
  return /^\d{1,15}$/.test(userId) ? Number(userId) : userId;
}

import { CallTypeSchema, ConversationIdSchema } from '@groupcall/shared/protocol';
import { z } from 'zod';

/** Request and response bodies of /v1/calls: validation and the OpenAPI document both come from these. */

export const StartCallRequestSchema = z.object({
  conversationId: ConversationIdSchema,
  callType: CallTypeSchema.default('video'),
});
export type StartCallRequest = z.output<typeof StartCallRequestSchema>;

export const SfuEndpointSchema = z
  .object({
    url: z.string().describe('Base URL of the media server (Socket.IO origin).'),
    path: z.string().describe('Socket.IO path of the pod hosting the call, e.g. /sfu/<pod>/socket.io.'),
  })
  .describe('Where to connect Socket.IO for this call.');

export const CallTicketResponseSchema = z.object({
  conversationId: ConversationIdSchema,
  callType: CallTypeSchema,
  endpoint: SfuEndpointSchema,
  ticket: z
    .string()
    .describe(
      'Signed ticket for createRoom on that endpoint; valid for about 2 minutes, for this user only.',
    ),
});
export type CallTicketResponse = z.output<typeof CallTicketResponseSchema>;

export const CallStatusResponseSchema = z.object({
  conversationId: ConversationIdSchema,
  active: z.boolean().describe('A call is going on: show the "Join call" banner.'),
  callType: CallTypeSchema.nullable(),
  startedAt: z.iso.datetime().nullable().describe('When the active call started (ISO 8601), else null.'),
  participants: z.number().int().nonnegative().describe('People in the call now (0 when none).'),
});
export type CallStatusResponse = z.output<typeof CallStatusResponseSchema>;

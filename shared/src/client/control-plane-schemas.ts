import { z } from 'zod';
import { CallTypeSchema, ConversationIdSchema } from '../protocol/primitives.ts';

/**
 * The control plane's /v1/calls responses as the client reads them. They
 * mirror control-plane/src/calls/schemas.ts (which the server validates and
 * documents in /openapi.json with); unknown extra fields are dropped, so the
 * server may add fields without breaking clients.
 */

/** Where to connect Socket.IO for a call: the pod hosting it. */
export const SfuEndpointSchema = z.object({
  /** Base URL of the media server (the Socket.IO origin). */
  url: z.string().min(1),
  /** Socket.IO path of the pod, e.g. `/sfu/<pod>/socket.io`. */
  path: z.string().min(1),
});
export type SfuEndpoint = z.infer<typeof SfuEndpointSchema>;

/** POST /v1/calls and POST /v1/calls/{id}/join: how to enter the call's media room. */
export const CallAdmissionSchema = z.object({
  conversationId: ConversationIdSchema,
  callType: CallTypeSchema,
  endpoint: SfuEndpointSchema,
  /** For `createRoom` on that endpoint; valid for about 2 minutes, for this user only. */
  ticket: z.string().min(1),
});
export type CallAdmission = z.infer<typeof CallAdmissionSchema>;

/** GET /v1/calls/{id}: is a call going on (the "Join call" banner after an app start)? */
export const CallStatusSchema = z.object({
  conversationId: ConversationIdSchema,
  active: z.boolean(),
  callType: CallTypeSchema.nullable(),
  /** ISO 8601; null when no call is active. */
  startedAt: z.string().nullable(),
  participants: z.number().int().nonnegative(),
});
export type CallStatus = z.infer<typeof CallStatusSchema>;

/** Every error response: `{"error": {"code", "message"}}`; codes a client does not know are kept as text. */
export const ControlPlaneErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

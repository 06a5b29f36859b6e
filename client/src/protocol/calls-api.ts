import { z } from 'zod';
import { CallIdSchema, CallTypeSchema, ConversationIdSchema, RingStateSchema } from './primitives.ts';

/**
 * The control plane's HTTP API (/v1/calls) as code: the server validates and
 * documents (/openapi.json) with these schemas, the client SDK parses its
 * answers with them. Objects drop unknown fields, so the server may add
 * fields without breaking older clients.
 */

export const StartCallRequestSchema = z.object({
  conversationId: ConversationIdSchema,
  callType: CallTypeSchema.default('video'),
});
export type StartCallRequest = z.output<typeof StartCallRequestSchema>;

export const SfuEndpointSchema = z
  .object({
    url: z.string().min(1).describe('Base URL of the media server (Socket.IO origin).'),
    path: z
      .string()
      .min(1)
      .describe('Socket.IO path of the pod hosting the call, e.g. /sfu/<pod>/socket.io.'),
  })
  .describe('Where to connect Socket.IO for this call.');
export type SfuEndpoint = z.output<typeof SfuEndpointSchema>;

/** One entry of RTCPeerConnection's `iceServers`: a TURN server with short-lived credentials. */
export const IceServerSchema = z
  .object({
    urls: z.array(z.string().min(1).max(512)).min(1).max(8),
    username: z.string().max(512).optional(),
    credential: z.string().max(512).optional(),
  })
  .describe('A TURN server and its credentials (TURN REST API scheme: username "<expiry>:<userId>").');
export type IceServer = z.output<typeof IceServerSchema>;

/** POST /v1/calls and POST /v1/calls/{id}/join: how to enter the call's media room. */
export const CallAdmissionSchema = z.object({
  conversationId: ConversationIdSchema,
  callId: CallIdSchema.optional().describe('The call admitted to (made when it started).'),
  callType: CallTypeSchema,
  endpoint: SfuEndpointSchema,
  ticket: z
    .string()
    .min(1)
    .describe(
      'Signed ticket for createRoom on that endpoint; valid for about 2 minutes, for this user only.',
    ),
  iceServers: z
    .array(IceServerSchema)
    .max(8)
    .default([])
    .describe(
      'TURN servers for both WebRTC transports, with credentials valid for hours, for this user only; ' +
        'empty when the deployment runs no TURN server.',
    ),
});
export type CallAdmission = z.output<typeof CallAdmissionSchema>;

/** GET /v1/calls/{id}: is a call going on (the "Join call" banner after an app start)? */
export const CallStatusSchema = z.object({
  conversationId: ConversationIdSchema,
  active: z.boolean().describe('A call is going on: show the "Join call" banner.'),
  callType: CallTypeSchema.nullable(),
  startedAt: z.iso.datetime().nullable().describe('When the active call started (ISO 8601), else null.'),
  participants: z.number().int().nonnegative().describe('People in the call now (0 when none).'),
  callId: CallIdSchema.nullable().optional().describe('The active call, else null.'),
  members: z
    .array(z.object({ userId: z.string(), ring: RingStateSchema }))
    .optional()
    .describe('Where each rung member stands with the active call (ringing, accepted, declined, …).'),
});
export type CallStatus = z.output<typeof CallStatusSchema>;

/** The `code` of an error response: stable, for clients and dashboards to match on. */
export const ApiErrorCodeSchema = z.enum([
  // The shared CallError codes…
  'invalid-request',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'unavailable',
  'too-many-requests',
  // …and the HTTP layer's own.
  'payload-too-large',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

/** Every error response: `{"error": {"code": "...", "message": "..."}}`. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: ApiErrorCodeSchema,
    message: z.string().describe('A sentence for people; match on `code`.'),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Machine-readable extras, when there are any.'),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** What clients accept as an error body: a code they do not know yet is kept as text. */
export const ApiErrorBodyForClientsSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

import { CallIdSchema, UserIdSchema } from '@groupcall/shared/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireService } from '../auth/require-service.ts';
import { callAnswered } from '../calls/call-answered.ts';
import { participantChanged } from '../calls/participant-changed.ts';
import { roomEmptied } from '../calls/room-emptied.ts';
import type { ControlPlaneDeps } from '../deps.ts';
import type { ServiceEnv } from '../http/app-env.ts';
import { conversationIdParam, readJsonBody } from '../http/read-input.ts';
import { bindRequestCall } from '../http/request-call.ts';

// callId is optional only for pods that predate call ids; they mean the conversation's current call.
const CallAnsweredRequestSchema = z.object({ userId: UserIdSchema, callId: CallIdSchema.optional() });
const CallEndedRequestSchema = z.object({ callId: CallIdSchema.optional() });
const ParticipantRequestSchema = z.object({
  callId: CallIdSchema,
  userId: UserIdSchema,
  socketId: z.string().min(1).max(64),
});

/**
 * /internal/v1/calls — INTERNAL: for sfu-worker pods only, never for apps,
 * and deliberately left out of /openapi.json. Every request needs a service
 * token (`signServiceToken(serviceTokenKey(POD_SERVICE_SECRET), podName)` from
 * @groupcall/shared/tickets); anything else is 401. Ingresses should not
 * route /internal at all.
 *
 *   POST /internal/v1/calls/{conversationId}/answered  {"userId": "42", "callId": "…"}  → 204
 *     A device of the user entered the call: their other devices stop ringing.
 *   POST /internal/v1/calls/{conversationId}/ended     {"callId": "…"}                 → 204
 *     The call's media room emptied: the call ends, ringing stops, placement is released.
 *     A report for an earlier call than the conversation's current one changes nothing.
 *
 *   POST /internal/v1/calls/{conversationId}/participants/joined  {"callId", "userId", "socketId"}  → 204
 *   POST /internal/v1/calls/{conversationId}/participants/left    {"callId", "userId", "socketId"}  → 204
 *     A device entered or left the call's room: participant.joined / .left webhooks.
 *
 * answered and ended are idempotent; 503 with Retry-After when Redis is down (worth retrying).
 */
export function internalCallsRouter(deps: ControlPlaneDeps): Hono<ServiceEnv> {
  const calls = new Hono<ServiceEnv>();
  calls.use(requireService(deps.serviceTokenKey));

  calls.post('/:conversationId/answered', async (c) => {
    const { userId, callId } = await readJsonBody(c, CallAnsweredRequestSchema);
    const conversationId = conversationIdParam(c);
    await callAnswered({ ...deps, logger: c.var.log }, { conversationId, callId, userId });
    bindRequestCall(c, { conversationId, callId });
    return c.body(null, 204);
  });

  calls.post('/:conversationId/ended', async (c) => {
    const { callId } = await readJsonBody(c, CallEndedRequestSchema, { optional: true });
    const conversationId = conversationIdParam(c);
    await roomEmptied({ ...deps, logger: c.var.log }, { conversationId, callId, podName: c.var.podName });
    bindRequestCall(c, { conversationId, callId });
    return c.body(null, 204);
  });

  for (const change of ['joined', 'left'] as const)
    calls.post(`/:conversationId/participants/${change}`, async (c) => {
      const { callId, userId, socketId } = await readJsonBody(c, ParticipantRequestSchema);
      await participantChanged(
        { ...deps, logger: c.var.log },
        { conversationId: conversationIdParam(c), callId, change, userId, socketId },
      );
      return c.body(null, 204);
    });

  return calls;
}

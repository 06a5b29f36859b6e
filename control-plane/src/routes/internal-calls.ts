import { UserIdSchema } from '@groupcall/shared/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireService } from '../auth/require-service.ts';
import { callAnswered } from '../calls/call-answered.ts';
import { callEnded } from '../calls/call-ended.ts';
import type { ControlPlaneDeps } from '../deps.ts';
import type { ServiceEnv } from '../http/app-env.ts';
import { conversationIdParam, readJsonBody } from '../http/read-input.ts';

const CallAnsweredRequestSchema = z.object({ userId: UserIdSchema });

/**
 * /internal/v1/calls — INTERNAL: for sfu-worker pods only, never for apps,
 * and deliberately left out of /openapi.json. Every request needs a service
 * token (`signServiceToken(serviceTokenKey(POD_SERVICE_SECRET), podName)` from
 * @groupcall/shared/tickets); anything else is 401. Ingresses should not
 * route /internal at all.
 *
 *   POST /internal/v1/calls/{conversationId}/answered  {"userId": "42"}  → 204
 *     A device of the user entered the call: their other devices stop ringing.
 *   POST /internal/v1/calls/{conversationId}/ended     (no body)         → 204
 *     The call's media room emptied: the call ends, ringing stops, placement is released.
 *
 * Both are idempotent; 503 with Retry-After when Redis is down (worth retrying).
 */
export function internalCallsRouter(deps: ControlPlaneDeps): Hono<ServiceEnv> {
  const calls = new Hono<ServiceEnv>();
  calls.use(requireService(deps.serviceTokenKey));

  calls.post('/:conversationId/answered', async (c) => {
    const { userId } = await readJsonBody(c, CallAnsweredRequestSchema);
    await callAnswered({ ...deps, logger: c.var.log }, conversationIdParam(c), userId);
    return c.body(null, 204);
  });

  calls.post('/:conversationId/ended', async (c) => {
    await callEnded({ ...deps, logger: c.var.log }, conversationIdParam(c), c.var.podName);
    return c.body(null, 204);
  });

  return calls;
}

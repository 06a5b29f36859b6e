import { StartCallRequestSchema } from '@groupcall/shared/protocol';
import { Hono } from 'hono';
import { requireUser } from '../auth/require-user.ts';
import { callStatus } from '../calls/call-status.ts';
import { declineCall } from '../calls/decline-call.ts';
import { joinCall } from '../calls/join-call.ts';
import { startCall } from '../calls/start-call.ts';
import type { ControlPlaneDeps } from '../deps.ts';
import type { AuthenticatedEnv } from '../http/app-env.ts';
import { conversationIdParam, readJsonBody } from '../http/read-input.ts';
import { bindRequestCall } from '../http/request-call.ts';

/** /v1/calls: start, join, look at and decline group calls, as the authenticated user. */
export function callsRouter(deps: ControlPlaneDeps): Hono<AuthenticatedEnv> {
  const calls = new Hono<AuthenticatedEnv>();
  calls.use(requireUser(deps.auth));

  calls.post('/', async (c) => {
    const { conversationId, callType } = await readJsonBody(c, StartCallRequestSchema);
    await deps.rateLimits.consume('start', c.var.userId, conversationId);
    const { created, admission } = await startCall(
      deps,
      { userId: c.var.userId, conversationId, callType },
      c.var.log,
    );
    bindRequestCall(c, { conversationId, callId: admission.callId });
    return c.json(admission, created ? 201 : 200);
  });

  calls.get('/:conversationId', async (c) => {
    const conversationId = conversationIdParam(c);
    const status = await callStatus(deps, { userId: c.var.userId, conversationId });
    bindRequestCall(c, { conversationId, callId: status.callId });
    return c.json(status);
  });

  calls.post('/:conversationId/join', async (c) => {
    const request = { userId: c.var.userId, conversationId: conversationIdParam(c) };
    await deps.rateLimits.consume('join', request.userId, request.conversationId);
    const admission = await joinCall(deps, request, c.var.log);
    bindRequestCall(c, { conversationId: request.conversationId, callId: admission.callId });
    return c.json(admission);
  });

  calls.post('/:conversationId/decline', async (c) => {
    const request = { userId: c.var.userId, conversationId: conversationIdParam(c) };
    await deps.rateLimits.consume('decline', request.userId, request.conversationId);
    const callId = await declineCall(deps, request, c.var.log);
    bindRequestCall(c, { conversationId: request.conversationId, callId });
    return c.body(null, 204);
  });

  return calls;
}

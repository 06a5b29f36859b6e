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
    return c.json(admission, created ? 201 : 200);
  });

  calls.get('/:conversationId', async (c) => {
    const status = await callStatus(deps, { userId: c.var.userId, conversationId: conversationIdParam(c) });
    return c.json(status);
  });

  calls.post('/:conversationId/join', async (c) => {
    const request = { userId: c.var.userId, conversationId: conversationIdParam(c) };
    await deps.rateLimits.consume('join', request.userId, request.conversationId);
    return c.json(await joinCall(deps, request, c.var.log));
  });

  calls.post('/:conversationId/decline', async (c) => {
    const request = { userId: c.var.userId, conversationId: conversationIdParam(c) };
    await deps.rateLimits.consume('decline', request.userId, request.conversationId);
    await declineCall(deps, request, c.var.log);
    return c.body(null, 204);
  });

  return calls;
}

import type { Logger } from '@groupcall/shared/logging';

/** The part of a request's context that carries its logger (any of the app's Hono envs). */
interface LoggingContext {
  var: { log: Logger };
  set(key: 'log', value: Logger): void;
}

/**
 * Names the call a request was about on the request's logger, so its request
 * line (written last, by requestLog) is found by grepping the callId. Bound
 * after the handler ran: the handler's own lines name the call themselves.
 */
export function bindRequestCall(
  c: LoggingContext,
  call: { conversationId: string; callId?: string | null | undefined },
): void {
  const { conversationId, callId } = call;
  c.set('log', c.var.log.child(callId ? { conversationId, callId } : { conversationId }));
}

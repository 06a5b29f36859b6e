import { CallError } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import { ErrorMessage } from '@groupcall/shared/protocol';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { RequestObserver, RequestOutcome } from '../metrics/sfu-metrics.ts';

type AckFn = (response: unknown) => void;

/**
 * Socket.IO passes an ack callback as the last argument when the client
 * asked for one. `getProducers` is sent both as `emit(event, cb)` and as
 * `emit(event, data, cb)`, so the payload is whatever comes before it.
 */
export function splitArgs(args: unknown[]): { payload: unknown; ack: AckFn | undefined } {
  const last = args.at(-1);
  if (typeof last === 'function')
    return { payload: args.length > 1 ? args[0] : undefined, ack: last as AckFn };
  return { payload: args[0], ack: undefined };
}

/**
 * Answers a failed request the way the guide promises: `{ error }` in the ack
 * when the client gave one, else a `group_call_error` event (never silence).
 */
export function replyError(
  socket: Socket,
  ack: AckFn | undefined,
  message: string,
  details: Record<string, unknown> = {},
): void {
  if (ack) ack({ ...details, error: message });
  else socket.emit('group_call_error', { ...details, message });
}

/** "Invalid payload: rtpParameters.codecs: Too small: expected array to have >=1 items" */
export function describeInvalid(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return ErrorMessage.invalidPayload;
  const path = issue.path.map(String).join('.');
  return `${ErrorMessage.invalidPayload}: ${path ? `${path}: ` : ''}${issue.message}`.slice(0, 300);
}

export interface RequestOptions<S extends z.ZodType> {
  schema: S;
  /** Maps a validation failure to one of the guide's own error strings, where it has one. */
  invalidMessage?: (error: z.ZodError, payload: unknown) => string | undefined;
  handle: (payload: z.output<S>) => Promise<unknown>;
}

/**
 * Registers a validated request handler. Every outcome answers the client:
 * the handler's result as the ack, or the error shape. Errors that are not
 * CallErrors come from mediasoup rejecting client input (or from a bug) and
 * are logged with the event name.
 */
export function onRequest<S extends z.ZodType>(
  socket: Socket,
  /** `log` is read per request: a device's logger changes as it enters and leaves calls. */
  context: { log: () => Logger; observer: RequestObserver },
  event: string,
  options: RequestOptions<S>,
): void {
  const { observer } = context;
  socket.on(event, async (...args: unknown[]) => {
    const started = performance.now();
    const log = context.log();
    const done = (outcome: RequestOutcome) =>
      observer.observe(event, outcome, (performance.now() - started) / 1000);
    const { payload, ack } = splitArgs(args);
    const parsed = options.schema.safeParse(payload);
    if (!parsed.success) {
      const message = options.invalidMessage?.(parsed.error, payload) ?? describeInvalid(parsed.error);
      log.info({ event, reason: message }, 'request rejected');
      replyError(socket, ack, message);
      done('invalid');
      return;
    }
    try {
      const result = await options.handle(parsed.data);
      ack?.(result ?? { success: true });
      done('ok');
    } catch (error) {
      const message = error instanceof Error ? error.message : ErrorMessage.internal;
      if (error instanceof CallError) log.info({ event, reason: message }, 'request refused');
      else log.warn({ event, err: error }, 'request failed');
      replyError(socket, ack, message, error instanceof CallError ? error.details : undefined);
      done(error instanceof CallError ? 'refused' : 'failed');
    }
  });
}

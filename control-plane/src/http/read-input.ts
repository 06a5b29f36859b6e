import { CallError } from '@groupcall/shared/calls';
import { ConversationIdSchema } from '@groupcall/shared/protocol';
import type { Context } from 'hono';
import { z } from 'zod';

/**
 * The JSON body, validated; 400 with the schema's complaint when it does not
 * fit. With `optional`, a missing body reads as `{}`.
 */
export async function readJsonBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
  options: { optional?: boolean } = {},
): Promise<z.output<Schema>> {
  let body: unknown;
  try {
    const text = await c.req.text();
    body = options.optional && text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new CallError('invalid-request', 'The request body must be JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new CallError('invalid-request', `Invalid request: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The `:conversationId` path parameter, validated like every other conversation id. */
export function conversationIdParam(c: Context): string {
  const parsed = ConversationIdSchema.safeParse(c.req.param('conversationId'));
  if (!parsed.success) throw new CallError('invalid-request', 'Invalid conversation id in the path');
  return parsed.data;
}

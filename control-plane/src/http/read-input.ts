import { CallError } from '@groupcall/shared/calls';
import { ConversationIdSchema, jsonNestingExceeds, maxJsonNesting } from '@groupcall/shared/protocol';
import type { Context } from 'hono';
import { z } from 'zod';

/**
 * The JSON body, validated; 400 with the schema's complaint when it does not
 * fit. Its size is already bounded (the app's body limit); its nesting is
 * checked on the raw text before JSON.parse or the schema walk it. With
 * `optional`, a missing body reads as `{}`.
 */
export async function readJsonBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
  options: { optional?: boolean } = {},
): Promise<z.output<Schema>> {
  const text = await c.req.text();
  if (jsonNestingExceeds(text, maxJsonNesting))
    throw new CallError('invalid-request', `The request body nests deeper than ${maxJsonNesting} levels`);
  let body: unknown;
  try {
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

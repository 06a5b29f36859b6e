import { z } from 'zod';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema of what a client sends (input: before defaults and
 * transforms) or receives (output), without `$schema`, for embedding in an
 * OpenAPI or AsyncAPI document. Both use the same conversion so the two
 * documents describe shared types identically.
 */
export function embeddedJsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  target: 'draft-2020-12' | 'draft-7',
): JsonObject {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, target });
  return rest;
}

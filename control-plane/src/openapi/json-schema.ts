import { z } from 'zod';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema of what a client sends (input: before defaults and
 * transforms) or receives (output), without `$schema`, for embedding in an
 * OpenAPI or AsyncAPI document. Both use the same conversion so the two
 * documents describe shared types identically.
 *
 * What a client receives stays open to new fields: the protocol grows
 * additively and clients ignore what they do not know, so the
 * `additionalProperties: false` zod writes for parsed output is left out
 * (client code generators would otherwise reject a newer server's answers).
 * The output of a transform (e.g. `null` read as absent in media parameters)
 * has no JSON Schema; it is described as any value rather than failing.
 */
export function embeddedJsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  target: 'draft-2020-12' | 'draft-7',
): JsonObject {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    target,
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      if (io === 'output' && jsonSchema.additionalProperties === false)
        delete jsonSchema.additionalProperties;
    },
  });
  return rest;
}

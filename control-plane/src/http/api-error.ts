import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

/** The `code` of an error response: stable, for clients and dashboards to match on. */
export const ApiErrorCodeSchema = z.enum([
  // The shared CallError codes…
  'invalid-request',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'unavailable',
  // …and the HTTP layer's own.
  'payload-too-large',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

/** Every error response: `{"error": {"code": "...", "message": "..."}}`. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: ApiErrorCodeSchema,
    message: z.string().describe('A sentence for people; match on `code`.'),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Machine-readable extras, when there are any.'),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

export const apiErrorStatus: Record<ApiErrorCode, ContentfulStatusCode> = {
  'invalid-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  internal: 500,
  unavailable: 503,
};

export function apiErrorBody(
  code: ApiErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ApiErrorBody {
  return { error: { code, message, ...(details && { details }) } };
}

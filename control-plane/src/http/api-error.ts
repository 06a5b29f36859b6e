import type { ApiErrorBody, ApiErrorCode } from '@groupcall/shared/protocol';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const apiErrorStatus: Record<ApiErrorCode, ContentfulStatusCode> = {
  'invalid-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'too-many-requests': 429,
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

import type { Context } from 'hono';
import { routePath } from 'hono/route';

/**
 * The route pattern that answered (`/v1/calls/:conversationId/join`), for
 * logs and metric labels: bounded cardinality, unlike the raw path.
 * Requests no route matched are all `unmatched`.
 */
export function routeLabel(c: Context): string {
  const path = routePath(c, -1);
  return path === '/*' || path === '*' ? 'unmatched' : path;
}

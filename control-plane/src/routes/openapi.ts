import { Hono } from 'hono';
import { openApiDocument } from '../openapi/document.ts';

/**
 * GET /openapi.json, and GET /v1/openapi.json: the Ingress and the HTTPRoute
 * route only /v1 to the control plane, so clients outside the cluster find it there.
 */
export function openApiRouter(): Hono {
  const document = openApiDocument();
  const router = new Hono();
  for (const path of ['/openapi.json', '/v1/openapi.json']) router.get(path, (c) => c.json(document));
  return router;
}

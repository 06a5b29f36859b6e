import { Hono } from 'hono';
import { openApiDocument } from '../openapi/document.ts';

/** GET /openapi.json */
export function openApiRouter(): Hono {
  const document = openApiDocument();
  const router = new Hono();
  router.get('/openapi.json', (c) => c.json(document));
  return router;
}

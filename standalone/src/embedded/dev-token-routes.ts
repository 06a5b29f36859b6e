import { UserIdSchema } from '@groupcall/shared/protocol';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { DevTokenIssuer } from './dev-tokens.ts';

const TokenRequestSchema = z.object({ userId: UserIdSchema });

/**
 * POST /dev/token {userId} → {token}: what the Threads backend does in
 * production (log the user in, hand out a JWT), for the demo page and local
 * tries. Exists only in the embedded default.
 */
export function devTokenRoutes(tokens: DevTokenIssuer): Hono {
  // A user id is short: the body is bounded before anything reads it.
  const limitBody = bodyLimit({
    maxSize: 1024,
    onError: (c) => c.json({ error: { code: 'payload-too-large', message: 'Payload too large' } }, 413),
  });
  return new Hono().post('/dev/token', limitBody, async (c) => {
    const body = TokenRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return c.json({ error: { code: 'invalid-request', message: 'Expected {"userId": "<id>"}' } }, 400);
    }
    return c.json({ token: await tokens.sign(body.data.userId) });
  });
}

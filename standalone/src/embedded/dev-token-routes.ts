import { UserIdSchema } from '@groupcall/shared/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import type { DevTokenIssuer } from './dev-tokens.ts';

const TokenRequestSchema = z.object({ userId: UserIdSchema });

/**
 * POST /dev/token {userId} → {token}: what the Threads backend does in
 * production (log the user in, hand out a JWT), for the demo page and local
 * tries. Exists only in the embedded default.
 */
export function devTokenRoutes(tokens: DevTokenIssuer): Hono {
  return new Hono().post('/dev/token', async (c) => {
    const body = TokenRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return c.json({ error: { code: 'invalid-request', message: 'Expected {"userId": "<id>"}' } }, 400);
    }
    return c.json({ token: await tokens.sign(body.data.userId) });
  });
}

import { type AccessTokenVerifier, bearerToken } from '@groupcall/shared/auth';
import type { MiddlewareHandler } from 'hono';
import type { AuthenticatedEnv } from '../http/app-env.ts';

/**
 * Requires a valid access token (`Authorization: Bearer <JWT>` from the
 * Threads backend) and makes its subject the request's user. Nothing in a
 * request body or path can say who the caller is.
 */
export function requireUser(verifier: AccessTokenVerifier): MiddlewareHandler<AuthenticatedEnv> {
  return async (c, next) => {
    const { userId } = await verifier.verify(bearerToken(c.req.header('authorization')));
    c.set('userId', userId);
    c.set('log', c.var.log.child({ userId }));
    await next();
  };
}

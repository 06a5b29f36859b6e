import { bearerToken } from '@groupcall/shared/auth';
import { verifyServiceToken } from '@groupcall/shared/tickets';
import type { MiddlewareHandler } from 'hono';
import type { ServiceEnv } from '../http/app-env.ts';

/**
 * Requires a service token (`Authorization: Bearer <JWT>` signed by one of
 * our sfu-worker pods with the ticket secret) on the internal API. Access
 * tokens and tickets are refused: they have another issuer, audience and type.
 */
export function requireService(key: Uint8Array): MiddlewareHandler<ServiceEnv> {
  return async (c, next) => {
    const { podName } = await verifyServiceToken(key, bearerToken(c.req.header('authorization')));
    c.set('podName', podName);
    c.set('log', c.var.log.child({ podName }));
    await next();
  };
}

import { z } from 'zod';
import type { AccessTokenKeys } from './access-token-verifier.ts';
import { readSecret } from './secret.ts';

/** How a service verifies the Threads backend's access tokens, as both services read it from the environment. */
export interface AccessTokenConfig {
  keys: AccessTokenKeys;
  issuer: string | undefined;
  audience: string | undefined;
}

const AuthEnvSchema = z.object({
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_ALLOW_MISSING_ISSUER_AUDIENCE: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .default(false),
});

/**
 * AUTH_JWT_SECRET(_FILE) (HS256) or AUTH_JWKS_URL (RS256/ES256), and
 * AUTH_ISSUER and AUTH_AUDIENCE. Without issuer and audience a token the
 * Threads backend issued for another service would be accepted here, so a
 * service refuses to start without them unless
 * AUTH_ALLOW_MISSING_ISSUER_AUDIENCE=true says that is intended.
 */
export function accessTokenConfigFromEnv(env: Record<string, string | undefined>): AccessTokenConfig {
  const parsed = AuthEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid access token settings:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  const secret = readSecret({
    name: 'AUTH_JWT_SECRET',
    value: env.AUTH_JWT_SECRET,
    file: env.AUTH_JWT_SECRET_FILE,
  });
  if (secret && e.AUTH_JWKS_URL)
    throw new Error('Set AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (RS256/ES256), not both');
  if (!secret && !e.AUTH_JWKS_URL)
    throw new Error('AUTH_JWT_SECRET(_FILE) (HS256) or AUTH_JWKS_URL (RS256/ES256) is required');
  if ((!e.AUTH_ISSUER || !e.AUTH_AUDIENCE) && !e.AUTH_ALLOW_MISSING_ISSUER_AUDIENCE)
    throw new Error(
      'AUTH_ISSUER and AUTH_AUDIENCE are required: without them access tokens the Threads backend issued ' +
        'for other services would be accepted (set AUTH_ALLOW_MISSING_ISSUER_AUDIENCE=true to run without)',
    );
  return {
    keys: secret ? { kind: 'shared-secret', secret } : { kind: 'jwks', url: e.AUTH_JWKS_URL as string },
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
  };
}

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../testing/src/index.ts';
import { accessTokenConfigFromEnv, createAccessTokenVerifier } from '../../src/auth/index.ts';

const secret = 'threads-backend-secret-0123456789abcdef';
const complete = { AUTH_JWT_SECRET: secret, AUTH_ISSUER: 'https://threads.test', AUTH_AUDIENCE: 'groupcall' };

describe('access token settings (both services read them)', () => {
  it('takes a secret (or its file), issuer and audience', () => {
    expect(accessTokenConfigFromEnv(complete)).toEqual({
      keys: { kind: 'shared-secret', secret },
      issuer: 'https://threads.test',
      audience: 'groupcall',
    });
    const dir = makeTempDir('auth-config');
    try {
      const file = path.join(dir.path, 'jwt-secret');
      writeFileSync(file, `${secret}\n`);
      const { AUTH_JWT_SECRET: _, ...withoutSecret } = complete;
      expect(accessTokenConfigFromEnv({ ...withoutSecret, AUTH_JWT_SECRET_FILE: file }).keys).toEqual({
        kind: 'shared-secret',
        secret,
      });
    } finally {
      dir.remove();
    }
  });

  it.each(['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const)('refuses to start without %s', (name) => {
    const { [name]: _, ...env } = complete;
    expect(() => accessTokenConfigFromEnv(env)).toThrow('AUTH_ISSUER and AUTH_AUDIENCE are required');
  });

  it('runs without issuer and audience only when told to', () => {
    const env = { AUTH_JWT_SECRET: secret, AUTH_ALLOW_MISSING_ISSUER_AUDIENCE: 'true' };
    expect(accessTokenConfigFromEnv(env)).toMatchObject({ issuer: undefined, audience: undefined });
  });

  it('refuses both a secret and a key set, and neither', () => {
    expect(() =>
      accessTokenConfigFromEnv({ ...complete, AUTH_JWKS_URL: 'https://threads.test/jwks' }),
    ).toThrow('not both');
    const { AUTH_JWT_SECRET: _, ...env } = complete;
    expect(() => accessTokenConfigFromEnv(env)).toThrow('is required');
  });

  it('refuses an HS256 secret shorter than 32 bytes', () => {
    expect(() =>
      createAccessTokenVerifier({ keys: { kind: 'shared-secret', secret: 'short-secret' } }),
    ).toThrow('at least 32 bytes');
  });
});

import { randomBytes } from 'node:crypto';
import { type AccessTokenVerifier, createAccessTokenVerifier } from '@groupcall/shared/auth';
import { SignJWT } from 'jose';

/**
 * The embedded default stands in for the Threads backend: it issues access
 * tokens for any user who asks (development only), signed with a secret made
 * at start-up and never stored.
 */
export class DevTokenIssuer {
  static readonly issuer = 'groupcall/embedded-dev-tokens';
  static readonly audience = 'groupcall';
  readonly #secret = randomBytes(32);
  readonly verifier: AccessTokenVerifier = createAccessTokenVerifier({
    keys: { kind: 'shared-secret', secret: this.#secret },
    issuer: DevTokenIssuer.issuer,
    audience: DevTokenIssuer.audience,
  });

  sign(userId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(DevTokenIssuer.issuer)
      .setAudience(DevTokenIssuer.audience)
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(this.#secret);
  }
}

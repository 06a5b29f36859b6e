import { SignJWT } from 'jose';

/** The claims the Threads backend puts in an access token, beyond `sub`. */
export interface AccessTokenClaims {
  /** Seconds from now; negative for an already expired token; null for none (no `exp`). Default one hour. */
  expiresInSeconds?: number | null;
  /** `iss`, when the verifier under test expects one. */
  issuer?: string;
  /** `aud`, when the verifier under test expects one. */
  audience?: string;
}

/**
 * An unsigned access token for `userId` as the Threads backend issues them
 * (sub, iat, exp unless told otherwise and, when given, iss and aud); sign it with any algorithm.
 */
export function accessTokenClaims(userId: string, claims: AccessTokenClaims = {}): SignJWT {
  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT({}).setSubject(userId).setIssuedAt(now);
  if (claims.expiresInSeconds !== null) token.setExpirationTime(now + (claims.expiresInSeconds ?? 3600));
  if (claims.issuer !== undefined) token.setIssuer(claims.issuer);
  if (claims.audience !== undefined) token.setAudience(claims.audience);
  return token;
}

/** An HS256 access token for `userId`, signed with the shared secret the services verify with. */
export function signAccessToken(
  userId: string,
  secret: string | Uint8Array,
  claims: AccessTokenClaims = {},
): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return accessTokenClaims(userId, claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

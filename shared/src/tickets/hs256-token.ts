import { errors, jwtVerify } from 'jose';

/** What tells our HS256 token kinds apart: a ticket is never taken for a service token, or the reverse. */
export interface TokenKind {
  issuer: string;
  audience: string;
  /** The JWT `typ` header. */
  typ: string;
}

/**
 * Verifies one of our short-lived HS256 tokens (tickets, service tokens)
 * and returns its payload for the caller's schema. Failures become the
 * caller's own error through `fail`, so each kind keeps its own messages.
 */
export async function verifyHs256Token(
  key: Uint8Array,
  token: string,
  kind: TokenKind,
  fail: (failure: 'expired' | 'invalid', detail: string) => Error,
  now: () => number = Date.now,
): Promise<unknown> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: kind.issuer,
      audience: kind.audience,
      typ: kind.typ,
      currentDate: new Date(now()),
      // Pods and control-plane replicas run on different nodes: allow small clock skew.
      clockTolerance: 5,
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw fail('expired', error.message);
    throw fail('invalid', error instanceof Error ? error.message : String(error));
  }
}

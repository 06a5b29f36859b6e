import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify } from 'jose';

/** What tells our token kinds apart: a ticket is never taken for a service token, or the reverse. */
export interface TokenKind {
  issuer: string;
  audience: string;
  /** The JWT `typ` header. */
  typ: string;
  /** The one algorithm this kind is signed with: EdDSA for tickets, HS256 for service tokens. */
  algorithm: 'EdDSA' | 'HS256';
}

/**
 * Verifies one of our short-lived tokens (tickets, service tokens) and
 * returns its payload for the caller's schema. Failures become the caller's
 * own error through `fail`, so each kind keeps its own messages.
 */
export async function verifySignedToken(
  key: Uint8Array | KeyObject,
  token: string,
  kind: TokenKind,
  fail: (failure: 'expired' | 'invalid', detail: string) => Error,
  now: () => number = Date.now,
): Promise<unknown> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [kind.algorithm],
      issuer: kind.issuer,
      audience: kind.audience,
      typ: kind.typ,
      currentDate: new Date(now()),
      // Pods and control-plane replicas run on different nodes: allow small clock skew.
      clockTolerance: 5,
      requiredClaims: ['exp'],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw fail('expired', error.message);
    throw fail('invalid', error instanceof Error ? error.message : String(error));
  }
}

const minimumSecretBytes = 32;

/** An HS256 key from a configured secret; refuses secrets shorter than the hash (RFC 7518 §3.2). */
export function hs256Key(secret: string | Uint8Array, name: string): Uint8Array {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (key.length < minimumSecretBytes)
    throw new Error(`${name} must be at least ${minimumSecretBytes} bytes (got ${key.length})`);
  return key;
}

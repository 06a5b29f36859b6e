import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { CallError } from '../calls/call-error.ts';
import { UserIdSchema } from '../protocol.ts';
import { AuthError } from './auth-error.ts';

/** Who sent a request, as proven by the Threads backend's access token. */
export interface AuthenticatedUser {
  /** The token's `sub`. */
  userId: string;
  /** When the token expires, in seconds since the epoch (the token's `exp`: required). */
  expiresAt: number;
}

/**
 * Checks access tokens. Framework-free: the control plane calls it from HTTP
 * middleware, the sfu-worker from its Socket.IO handshake.
 */
export interface AccessTokenVerifier {
  /** Resolves the token's user, or rejects with AuthError (401) or CallError 'unavailable' (503). */
  verify(token: string | undefined): Promise<AuthenticatedUser>;
}

/** Where the keys that sign access tokens come from. */
export type AccessTokenKeys =
  /** HS256 with a secret shared with the Threads backend. */
  | { kind: 'shared-secret'; secret: string | Uint8Array }
  /** RS256 or ES256 with the public keys the Threads backend publishes as a JWKS. */
  | { kind: 'jwks'; url: string | URL; timeoutMs?: number };

export interface AccessTokenVerifierOptions {
  keys: AccessTokenKeys;
  /** Required `iss`, when set. */
  issuer?: string | undefined;
  /** Required `aud`, when set. */
  audience?: string | undefined;
  /** Allowed clock skew between the Threads backend and us. Default 5 s. */
  clockToleranceSeconds?: number;
  /** Current time in ms since the epoch (tests move it). Default Date.now. */
  now?: () => number;
}

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const { key, algorithms } = verificationKey(options.keys);
  const now = options.now ?? Date.now;

  return {
    async verify(token) {
      if (!token) throw new AuthError('missing-token');
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: options.clockToleranceSeconds ?? 5,
          currentDate: new Date(now()),
          // A token that never expires would be a password: refused.
          requiredClaims: ['sub', 'exp'],
        });
        const userId = UserIdSchema.safeParse(payload.sub);
        if (!userId.success) throw new AuthError('invalid', 'the sub claim is not a valid user id');
        return { userId: userId.data, expiresAt: payload.exp as number };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

const minimumSecretBytes = 32;

type VerificationKey = { key: Uint8Array | JWTVerifyGetKey; algorithms: string[] };

function verificationKey(keys: AccessTokenKeys): VerificationKey {
  if (keys.kind === 'shared-secret') {
    const secret = typeof keys.secret === 'string' ? new TextEncoder().encode(keys.secret) : keys.secret;
    // RFC 7518 §3.2: an HS256 key shorter than the hash (32 bytes) can be brute-forced.
    if (secret.length < minimumSecretBytes)
      throw new Error(
        `The access token secret (AUTH_JWT_SECRET) must be at least ${minimumSecretBytes} bytes (got ${secret.length})`,
      );
    return { key: secret, algorithms: ['HS256'] };
  }
  // jose caches the key set and refetches it (rate-limited) when a token names
  // an unknown `kid`, so key rotation on the Threads backend needs no restart.
  const url = typeof keys.url === 'string' ? new URL(keys.url) : keys.url;
  return {
    key: createRemoteJWKSet(url, { timeoutDuration: keys.timeoutMs ?? 5_000 }),
    algorithms: ['RS256', 'ES256'],
  };
}

/**
 * Turns a verification failure into what the client should see: our fault
 * (the key set could not be fetched) is 503, anything about the token is 401.
 */
function classify(error: unknown): CallError {
  if (error instanceof CallError) return error;
  if (error instanceof errors.JWTExpired) return new AuthError('expired', error.message);
  if (error instanceof errors.JWKSTimeout) return keySetUnavailable(error);
  if (error instanceof errors.JOSEError) {
    // The generic JOSEError (no subclass) is what jose throws when the key
    // set answered with something other than a JSON key set.
    if (error.code === errors.JOSEError.code) return keySetUnavailable(error);
    return new AuthError('invalid', `${error.code}: ${error.message}`);
  }
  // Not a jose error: fetch itself failed (connection refused, DNS, …).
  return keySetUnavailable(error);
}

function keySetUnavailable(cause: unknown): CallError {
  const error = new CallError('unavailable', 'Cannot verify access tokens right now, try again');
  error.cause = cause;
  return error;
}

import { SignJWT } from 'jose';
import { z } from 'zod';
import { ServiceTokenError } from './service-token-error.ts';
import { hs256Key, verifySignedToken } from './signed-token.ts';
import type { TicketTimeOptions } from './ticket.ts';

/**
 * Service tokens: how an sfu-worker pod proves to the control plane's
 * internal API (/internal/v1/…) that it is one of ours. An HS256 JWT signed
 * with POD_SERVICE_SECRET (which the control plane and the pods hold), valid
 * for a minute: pods sign a fresh one per request, so nothing long-lived can
 * leak. The secret can only make service tokens: tickets are Ed25519, signed
 * with a key the pods never see.
 *
 * Issuer, audience, type and algorithm differ from tickets' (which go the
 * other way, control plane → pod) and from access tokens', so none of the
 * three can stand in for another.
 */

const issuer = 'groupcall/sfu-worker';
const audience = 'groupcall/control-plane';
const tokenType = 'groupcall-service+jwt';
const subjectPrefix = 'pod:';

export const serviceTokenTtlSeconds = 60;
const kind = { issuer, audience, typ: tokenType, algorithm: 'HS256' } as const;

/** The service token key from POD_SERVICE_SECRET (at least 32 bytes). */
export function serviceTokenKey(secret: string | Uint8Array): Uint8Array {
  return hs256Key(secret, 'POD_SERVICE_SECRET');
}

/** Who called the internal API. */
export interface VerifiedServiceToken {
  /** The pod that signed the token (`sub` = `pod:<podName>`). */
  podName: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** A service token for `podName`, signed with the service token key (`serviceTokenKey(secret)`). */
export async function signServiceToken(
  key: Uint8Array,
  podName: string,
  options: TicketTimeOptions = {},
): Promise<string> {
  if (!podName) throw new Error('A service token needs the pod name');
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: tokenType })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(`${subjectPrefix}${podName}`)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + serviceTokenTtlSeconds)
    .sign(key);
}

const ServiceTokenPayloadSchema = z.object({
  sub: z
    .string()
    .startsWith(subjectPrefix)
    .min(subjectPrefix.length + 1),
  exp: z.number(),
});

/** Checks a service token; rejects with ServiceTokenError (missing, expired, invalid). */
export async function verifyServiceToken(
  key: Uint8Array,
  token: string | undefined,
  options: TicketTimeOptions = {},
): Promise<VerifiedServiceToken> {
  if (!token) throw new ServiceTokenError('missing');
  const payload = await verifySignedToken(
    key,
    token,
    kind,
    (failure, detail) => new ServiceTokenError(failure, detail),
    options.now,
  );
  const claims = ServiceTokenPayloadSchema.safeParse(payload);
  if (!claims.success)
    throw new ServiceTokenError('invalid', `unexpected claims: ${z.prettifyError(claims.error)}`);
  return { podName: claims.data.sub.slice(subjectPrefix.length), expiresAt: claims.data.exp };
}

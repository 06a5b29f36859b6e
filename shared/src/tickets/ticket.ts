import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import {
  CallIdSchema,
  ConversationIdSchema,
  type ParticipantInfo,
  ParticipantInfoSchema,
} from '../protocol.ts';
import { verifySignedToken } from './signed-token.ts';
import { TicketError } from './ticket-error.ts';

/**
 * Tickets: what the control plane hands a client that may join a call, and
 * what the sfu-worker checks in createRoom instead of reading the database.
 * A ticket is an EdDSA (Ed25519) JWT: the control plane signs it with a
 * private key only it holds, pods verify it with the public key (see
 * ticket-keys.ts), so no pod can mint one. Valid for a short time (2 minutes
 * by default: long enough to connect, short enough that a leaked ticket is
 * soon useless).
 */

/** What a ticket says. */
export interface TicketClaims {
  userId: string;
  conversationId: string;
  /** The sfu-worker pod the call is assigned to; other pods refuse the ticket. */
  podName: string;
  /** How the participant's video tile is labelled. */
  participantInfo: ParticipantInfo;
  /** The call the ticket admits to; a newer call in the conversation refuses it. */
  callId?: string | undefined;
}

export interface VerifiedTicket extends TicketClaims {
  /** Seconds since the epoch. */
  expiresAt: number;
}

export const defaultTicketTtlSeconds = 120;

// Fixed issuer, audience and type: a ticket can never be mistaken for an
// access token (or the reverse), even if someone configures the same secret.
const issuer = 'groupcall/control-plane';
const audience = 'groupcall/sfu-worker';
const tokenType = 'groupcall-ticket+jwt';
const kind = { issuer, audience, typ: tokenType, algorithm: 'EdDSA' } as const;

export interface TicketTimeOptions {
  /** Current time in ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** A ticket signed with the control plane's Ed25519 private key. */
export async function signTicket(
  privateKey: KeyObject,
  claims: TicketClaims,
  options: TicketTimeOptions & { ttlSeconds?: number } = {},
): Promise<{ ticket: string; expiresAt: number }> {
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  const expiresAt = issuedAt + (options.ttlSeconds ?? defaultTicketTtlSeconds);
  const ticket = await new SignJWT({
    cid: claims.conversationId,
    pod: claims.podName,
    participant: { name: claims.participantInfo.name, avatar: claims.participantInfo.avatar },
    ...(claims.callId ? { call: claims.callId } : {}),
  })
    .setProtectedHeader({ alg: kind.algorithm, typ: tokenType })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(claims.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(privateKey);
  return { ticket, expiresAt };
}

const TicketPayloadSchema = z.object({
  sub: z.string(),
  exp: z.number(),
  cid: ConversationIdSchema,
  pod: z.string(),
  participant: ParticipantInfoSchema.omit({ userId: true }),
  call: CallIdSchema.optional(),
});

/**
 * Checks a ticket for this pod and conversation. Rejects with TicketError:
 * missing, expired, invalid (forged, tampered, not a ticket), wrong
 * conversation, wrong pod.
 */
export async function verifyTicket(
  publicKey: KeyObject,
  ticket: string | undefined,
  expected: { conversationId: string; podName: string },
  options: TicketTimeOptions = {},
): Promise<VerifiedTicket> {
  if (!ticket) throw new TicketError('missing');
  const payload = await verifySignedToken(
    publicKey,
    ticket,
    kind,
    (failure, detail) => new TicketError(failure, detail),
    options.now,
  );
  const claims = TicketPayloadSchema.safeParse(payload);
  if (!claims.success) throw new TicketError('invalid', `unexpected claims: ${claims.error.message}`);
  const { sub, exp, cid, pod, participant, call } = claims.data;
  if (cid !== expected.conversationId)
    throw new TicketError('wrong-conversation', `ticket is for ${cid}, room is ${expected.conversationId}`);
  if (pod !== expected.podName)
    throw new TicketError('wrong-pod', `ticket is for pod ${pod}, this is pod ${expected.podName}`);
  return {
    userId: sub,
    conversationId: cid,
    podName: pod,
    participantInfo: { userId: sub, ...participant },
    callId: call,
    expiresAt: exp,
  };
}

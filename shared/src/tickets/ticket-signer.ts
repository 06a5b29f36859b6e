import type { KeyObject } from 'node:crypto';
import { signTicket, type TicketClaims } from './ticket.ts';

/** Signs tickets with a fixed key and TTL; what the control plane's handlers are given. */
export interface TicketSigner {
  sign(claims: TicketClaims): Promise<{ ticket: string; expiresAt: number }>;
}

/** `privateKey`: the Ed25519 key only the control plane holds (ticketPrivateKey, generateTicketKeyPair). */
export function createTicketSigner(options: {
  privateKey: KeyObject;
  ttlSeconds?: number;
  now?: () => number;
}): TicketSigner {
  return {
    sign: (claims) =>
      signTicket(options.privateKey, claims, { ttlSeconds: options.ttlSeconds, now: options.now }),
  };
}

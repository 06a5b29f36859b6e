import { signTicket, type TicketClaims, ticketKey } from './ticket.ts';

/** Signs tickets with a fixed key and TTL; what the control plane's handlers are given. */
export interface TicketSigner {
  sign(claims: TicketClaims): Promise<{ ticket: string; expiresAt: number }>;
}

export function createTicketSigner(options: {
  secret: string | Uint8Array;
  ttlSeconds?: number;
  now?: () => number;
}): TicketSigner {
  const key = ticketKey(options.secret);
  return {
    sign: (claims) => signTicket(key, claims, { ttlSeconds: options.ttlSeconds, now: options.now }),
  };
}

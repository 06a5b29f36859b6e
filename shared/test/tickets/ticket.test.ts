import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createTicketSigner,
  type TicketClaims,
  type TicketError,
  ticketKey,
  verifyTicket,
} from '../../src/tickets/index.ts';

const secret = 'ticket-test-secret-0123456789abcdef0123';
const key = ticketKey(secret);
const claims: TicketClaims = {
  userId: '42',
  conversationId: 'team-alpha',
  podName: 'sfu-0',
  participantInfo: { userId: '42', name: 'Alice', avatar: null },
};
const expected = { conversationId: 'team-alpha', podName: 'sfu-0' };
const t0 = Date.parse('2026-01-01T00:00:00Z');

function refusal(failure: TicketError['failure']) {
  return { name: 'TicketError', failure } satisfies Partial<TicketError>;
}

describe('tickets', () => {
  it('carry the user, conversation, pod and participant info', async () => {
    const { ticket, expiresAt } = await createTicketSigner({ secret, now: () => t0 }).sign(claims);
    const verified = await verifyTicket(key, ticket, expected, { now: () => t0 + 1_000 });
    expect(verified).toEqual({ ...claims, expiresAt });
    expect(expiresAt).toBe(t0 / 1000 + 120);
  });

  it('expire after their TTL (2 minutes by default)', async () => {
    const { ticket } = await createTicketSigner({ secret, now: () => t0 }).sign(claims);
    await expect(verifyTicket(key, ticket, expected, { now: () => t0 + 130_000 })).rejects.toMatchObject({
      ...refusal('expired'),
      code: 'unauthenticated',
      message: 'Ticket expired: join the call through the API again',
    });
  });

  it('are refused for another conversation or another pod', async () => {
    const { ticket } = await createTicketSigner({ secret }).sign(claims);
    await expect(
      verifyTicket(key, ticket, { ...expected, conversationId: 'team-beta' }),
    ).rejects.toMatchObject({
      ...refusal('wrong-conversation'),
      code: 'forbidden',
    });
    await expect(verifyTicket(key, ticket, { ...expected, podName: 'sfu-1' })).rejects.toMatchObject({
      ...refusal('wrong-pod'),
      code: 'conflict',
      detail: 'ticket is for pod sfu-0, this is pod sfu-1',
    });
  });

  it('are refused when missing, forged, or not tickets at all', async () => {
    const forged = await createTicketSigner({ secret: 'another-secret-0123456789abcdef01234' }).sign(claims);
    // Signed with the right key but not a ticket (an access token, say): no ticket type or audience.
    const accessToken = await new SignJWT({ cid: 'team-alpha', pod: 'sfu-0' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('42')
      .setExpirationTime('1h')
      .sign(key);
    await expect(verifyTicket(key, undefined, expected)).rejects.toMatchObject(refusal('missing'));
    await expect(verifyTicket(key, forged.ticket, expected)).rejects.toMatchObject(refusal('invalid'));
    await expect(verifyTicket(key, accessToken, expected)).rejects.toMatchObject(refusal('invalid'));
    await expect(verifyTicket(key, 'garbage', expected)).rejects.toMatchObject(refusal('invalid'));
  });

  it('need a secret of at least 32 bytes', () => {
    expect(() => ticketKey('short')).toThrow('at least 32 bytes');
  });
});

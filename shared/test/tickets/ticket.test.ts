import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createTicketSigner,
  generateTicketKeyPair,
  podKeysFromEnv,
  privateKeyPem,
  publicKeyPem,
  signServiceToken,
  type TicketClaims,
  type TicketError,
  ticketPrivateKey,
  ticketPublicKey,
  verifyTicket,
} from '../../src/tickets/index.ts';

const { privateKey, publicKey } = generateTicketKeyPair();
const key = publicKey;
const podServiceSecret = 'pod-service-secret-0123456789abcdef0123';
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
    const { ticket, expiresAt } = await createTicketSigner({ privateKey, now: () => t0 }).sign(claims);
    const verified = await verifyTicket(key, ticket, expected, { now: () => t0 + 1_000 });
    expect(verified).toEqual({ ...claims, expiresAt });
    expect(expiresAt).toBe(t0 / 1000 + 120);
  });

  it('expire after their TTL (2 minutes by default)', async () => {
    const { ticket } = await createTicketSigner({ privateKey, now: () => t0 }).sign(claims);
    await expect(verifyTicket(key, ticket, expected, { now: () => t0 + 130_000 })).rejects.toMatchObject({
      ...refusal('expired'),
      code: 'unauthenticated',
      message: 'Ticket expired: join the call through the API again',
    });
  });

  it('are refused for another conversation or another pod', async () => {
    const { ticket } = await createTicketSigner({ privateKey }).sign(claims);
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
    const forged = await createTicketSigner({ privateKey: generateTicketKeyPair().privateKey }).sign(claims);
    // Signed with the right key but not a ticket (an access token, say): no ticket type or audience.
    const accessToken = await new SignJWT({ cid: 'team-alpha', pod: 'sfu-0' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('42')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verifyTicket(key, undefined, expected)).rejects.toMatchObject(refusal('missing'));
    await expect(verifyTicket(key, forged.ticket, expected)).rejects.toMatchObject(refusal('invalid'));
    await expect(verifyTicket(key, accessToken, expected)).rejects.toMatchObject(refusal('invalid'));
    await expect(verifyTicket(key, 'garbage', expected)).rejects.toMatchObject(refusal('invalid'));
  });

  it('cannot be minted with anything a pod holds: its service secret or the ticket public key', async () => {
    const pod = podKeysFromEnv({
      TICKET_PUBLIC_KEY: publicKeyPem(publicKey),
      POD_SERVICE_SECRET: podServiceSecret,
    });
    const ticketShaped = (sign: (jwt: SignJWT) => Promise<string>, alg: string) =>
      sign(
        new SignJWT({ cid: 'team-alpha', pod: 'sfu-0', participant: { name: 'Mallory', avatar: null } })
          .setProtectedHeader({ alg, typ: 'groupcall-ticket+jwt' })
          .setIssuer('groupcall/control-plane')
          .setAudience('groupcall/sfu-worker')
          .setSubject('42')
          .setIssuedAt()
          .setExpirationTime('2m'),
      );
    const withServiceSecret = await ticketShaped((jwt) => jwt.sign(pod.serviceTokenKey), 'HS256');
    // Algorithm confusion: the public key's bytes used as an HMAC secret.
    const withPublicKeyBytes = await ticketShaped(
      (jwt) => jwt.sign(new TextEncoder().encode(publicKeyPem(publicKey))),
      'HS256',
    );
    const serviceToken = await signServiceToken(pod.serviceTokenKey, 'sfu-0');
    for (const minted of [withServiceSecret, withPublicKeyBytes, serviceToken])
      await expect(verifyTicket(pod.ticketPublicKey, minted, expected)).rejects.toMatchObject(
        refusal('invalid'),
      );
  });

  it('refuses a ticket without an expiry', async () => {
    const noExp = await new SignJWT({
      cid: 'team-alpha',
      pod: 'sfu-0',
      participant: { name: 'A', avatar: null },
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'groupcall-ticket+jwt' })
      .setIssuer('groupcall/control-plane')
      .setAudience('groupcall/sfu-worker')
      .setSubject('42')
      .sign(privateKey);
    await expect(verifyTicket(key, noExp, expected)).rejects.toMatchObject(refusal('invalid'));
  });
});

describe('ticket keys', () => {
  it('load from PEM and JWK, and must be Ed25519', async () => {
    const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
    const publicJwk = JSON.stringify(publicKey.export({ format: 'jwk' }));
    for (const text of [privateKeyPem(privateKey), jwk]) {
      const signer = createTicketSigner({ privateKey: ticketPrivateKey(text) });
      for (const pub of [publicKeyPem(publicKey), publicJwk])
        await expect(
          verifyTicket(ticketPublicKey(pub), (await signer.sign(claims)).ticket, expected),
        ).resolves.toMatchObject({ userId: '42' });
    }
    const { generateKeyPairSync } = await import('node:crypto');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => ticketPrivateKey(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(
      'must be an Ed25519 key',
    );
    expect(() => ticketPublicKey('not a key')).toThrow('not a PEM or JWK key');
  });

  it('refuse a private key where pods expect the public one', () => {
    expect(() => ticketPublicKey(privateKeyPem(privateKey))).toThrow('pods must only get the public key');
    expect(() => ticketPublicKey(JSON.stringify(privateKey.export({ format: 'jwk' })))).toThrow(
      'pods must only get the public key',
    );
  });

  it('need a pod service secret of at least 32 bytes', () => {
    expect(() =>
      podKeysFromEnv({ TICKET_PUBLIC_KEY: publicKeyPem(publicKey), POD_SERVICE_SECRET: 'short' }),
    ).toThrow('at least 32 bytes');
  });
});

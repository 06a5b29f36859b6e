import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createTicketSigner,
  generateTicketKeyPair,
  type ServiceTokenError,
  serviceTokenKey,
  signServiceToken,
  type TicketError,
  verifyServiceToken,
  verifyTicket,
} from '../../src/tickets/index.ts';

const secret = 'service-token-test-secret-0123456789abcdef';
const key = serviceTokenKey(secret);
const tickets = generateTicketKeyPair();
const t0 = Date.parse('2026-01-01T00:00:00Z');

function refusal(failure: ServiceTokenError['failure']) {
  return { name: 'ServiceTokenError', failure, code: 'unauthenticated' } satisfies Partial<ServiceTokenError>;
}

describe('service tokens', () => {
  it('name the pod that signed them', async () => {
    const token = await signServiceToken(key, 'sfu-worker-7', { now: () => t0 });
    expect(await verifyServiceToken(key, token, { now: () => t0 + 1_000 })).toEqual({
      podName: 'sfu-worker-7',
      expiresAt: t0 / 1000 + 60,
    });
  });

  it('expire after a minute (with 5 s of clock skew allowed)', async () => {
    const token = await signServiceToken(key, 'sfu-0', { now: () => t0 });
    await expect(verifyServiceToken(key, token, { now: () => t0 + 64_000 })).resolves.toBeDefined();
    await expect(verifyServiceToken(key, token, { now: () => t0 + 66_000 })).rejects.toMatchObject(
      refusal('expired'),
    );
  });

  it('are refused when missing, forged or malformed', async () => {
    const forged = await signServiceToken(serviceTokenKey('another-secret-0123456789abcdef01234'), 'sfu-0');
    await expect(verifyServiceToken(key, undefined)).rejects.toMatchObject(refusal('missing'));
    await expect(verifyServiceToken(key, forged)).rejects.toMatchObject(refusal('invalid'));
    await expect(verifyServiceToken(key, 'garbage')).rejects.toMatchObject(refusal('invalid'));
  });

  it('cannot be replaced by a ticket or an access token, nor the reverse', async () => {
    const claims = {
      userId: '42',
      conversationId: 'team-alpha',
      podName: 'sfu-0',
      participantInfo: { userId: '42', name: 'Alice', avatar: null },
    };
    const { ticket } = await createTicketSigner({ privateKey: tickets.privateKey }).sign(claims);
    const accessToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('pod:sfu-0')
      .setExpirationTime('1h')
      .sign(key);
    await expect(verifyServiceToken(key, ticket)).rejects.toMatchObject(refusal('invalid'));
    await expect(verifyServiceToken(key, accessToken)).rejects.toMatchObject(refusal('invalid'));

    const serviceToken = await signServiceToken(key, 'sfu-0');
    await expect(
      verifyTicket(tickets.publicKey, serviceToken, { conversationId: 'team-alpha', podName: 'sfu-0' }),
    ).rejects.toMatchObject({ failure: 'invalid' } satisfies Partial<TicketError>);
  });

  it('must name a pod', async () => {
    const noPod = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'groupcall-service+jwt' })
      .setIssuer('groupcall/sfu-worker')
      .setAudience('groupcall/control-plane')
      .setSubject('user-42')
      .setExpirationTime('1m')
      .sign(key);
    await expect(verifyServiceToken(key, noPod)).rejects.toMatchObject(refusal('invalid'));
    await expect(signServiceToken(key, '')).rejects.toThrow('needs the pod name');
  });
});

import { openCallSocket } from '@groupcall/client';
import { ErrorMessage } from '@groupcall/shared/protocol';
import { serviceTokenKey, type TicketClaims } from '@groupcall/shared/tickets';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, type PodProcess, startCluster } from './support/cluster.ts';

// A real pod process (pod-main.ts) with the control plane and Redis: the
// production checks the embedded default skips (it trusts join(userId)).
let cluster: Cluster;
let pod: PodProcess;
let ticket: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  cluster = await startCluster({ pods: ['sfu-a'] });
  pod = cluster.pods.get('sfu-a') as PodProcess;
  const call = await cluster.api('1', 'POST', '/v1/calls', {
    conversationId: 'team-alpha',
    callType: 'video',
  });
  expect(call.status).toBe(201);
  ticket = call.body.ticket;
}, 180_000);
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(() => cluster?.stop(), 60_000);

async function connect(token?: string): Promise<TestClient> {
  const client = await TestClient.connect(pod.url, { path: pod.path, token });
  clients.push(client);
  return client;
}

async function refusedHandshake(token: string): Promise<string> {
  const error = await connect(token).then(
    () => undefined,
    (e: Error) => e.message,
  );
  if (error === undefined) throw new Error('the handshake was accepted');
  return error;
}

const alice: TicketClaims = {
  userId: '1',
  conversationId: 'team-alpha',
  podName: 'sfu-a',
  participantInfo: { userId: '1', name: 'Alice', avatar: null },
};

describe('a real pod admits only who the tokens and tickets say', () => {
  it('refuses join without a handshake token', async () => {
    const anonymous = await connect();
    expect(await anonymous.request('join', '1')).toEqual({ error: ErrorMessage.authenticationRequired });
  });

  it('refuses join as another user than the token names', async () => {
    const bob = await connect(await cluster.token('2'));
    expect(await bob.request('join', '1')).toEqual({ error: ErrorMessage.identityMismatch });
  });

  it('refuses a forged, an expired and a never-expiring handshake token', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://threads.test')
      .setAudience('groupcall')
      .setSubject('1')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-threads-backend-secret-0123456789'));
    expect(await refusedHandshake(forged)).toContain('Invalid access token');
    expect(await refusedHandshake(await cluster.token('1', { expiresInSeconds: -60 }))).toContain(
      'Access token expired',
    );
    expect(await refusedHandshake(await cluster.token('1', { expiresInSeconds: null }))).toContain(
      'Access token is invalid',
    );
  });

  it('admits the ticket the control plane issued', async () => {
    const client = await connect(await cluster.token('1'));
    await client.request('join', '1');
    const entered = await client.request('createRoom', { roomId: 'team-alpha', ticket });
    expect(entered.rtpCapabilities).toBeDefined();
  });

  it.each([
    [
      'another pod',
      { ...alice, podName: 'sfu-b' },
      'Ticket is for another server: join the call through the API again',
    ],
    ['another call', { ...alice, conversationId: 'team-beta' }, 'Ticket is for another conversation'],
    [
      'another user',
      { ...alice, userId: '2', participantInfo: { ...alice.participantInfo, userId: '2' } },
      ErrorMessage.identityMismatch,
    ],
  ])('refuses a ticket for %s', async (_, claims, error) => {
    const client = await connect(await cluster.token('1'));
    await client.request('join', '1');
    const answer = await client.request('createRoom', {
      roomId: 'team-alpha',
      ticket: await cluster.ticket(claims),
    });
    expect(answer).toMatchObject({ error });
  });

  it('refuses an expired ticket', async () => {
    const client = await connect(await cluster.token('1'));
    await client.request('join', '1');
    const old = await cluster.ticket(alice, { now: () => Date.now() - 10 * 60_000 });
    const answer = await client.request('createRoom', { roomId: 'team-alpha', ticket: old });
    expect(answer).toMatchObject({ error: 'Ticket expired: join the call through the API again' });
  });

  it("refuses a ticket minted with a pod's own credentials", async () => {
    const minted = await new SignJWT({
      cid: 'team-alpha',
      pod: 'sfu-a',
      participant: { name: 'Mallory', avatar: null },
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'groupcall-ticket+jwt' })
      .setIssuer('groupcall/control-plane')
      .setAudience('groupcall/sfu-worker')
      .setSubject('1')
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(serviceTokenKey(cluster.podServiceSecret));
    const client = await connect(await cluster.token('1'));
    await client.request('join', '1');
    const answer = await client.request('createRoom', { roomId: 'team-alpha', ticket: minted });
    expect(answer).toMatchObject({ error: 'Ticket is invalid' });
  });
});

describe('a socket authenticated in its handshake lives as long as its token', () => {
  it('is told and disconnected when its access token expires', async () => {
    const alice = await connect(await cluster.token('1', { expiresInSeconds: 6 }));
    expect(await alice.disconnected(30_000)).toBe('io server disconnect');
    expect(alice.received('group_call_error')).toContainEqual({ message: ErrorMessage.accessTokenExpired });
  });

  it('stays connected past that expiry once it renewed its token', async () => {
    // Carol's socket, with a token of the same lifetime and not renewed, is the clock:
    // once the server ended it, Bob's first token has expired too.
    const carol = await connect(await cluster.token('3', { expiresInSeconds: 6 }));
    const bob = await connect(await cluster.token('2', { expiresInSeconds: 6 }));
    const renewed = await cluster.token('2', { expiresInSeconds: 3600 });
    expect(await bob.request('renewToken', { token: renewed })).toEqual({ success: true });
    expect(await carol.disconnected(30_000)).toBe('io server disconnect');
    expect(bob.socket.connected).toBe(true);
    expect(await bob.request('join', '2')).toEqual({ success: true });
  });

  it('the SDK renews its token by itself, so its socket outlives every token it was given', async () => {
    let tokensGiven = 0;
    const socket = openCallSocket(
      { url: pod.url, path: pod.path },
      {
        accessToken: () => {
          tokensGiven += 1;
          return cluster.token('2', { expiresInSeconds: 6 });
        },
      },
    );
    try {
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      const ended: string[] = [];
      socket.on('disconnect', (reason) => ended.push(reason));
      // Dave's unrenewed socket is the clock again: two of his lifetimes pass.
      for (const _lifetime of [1, 2]) {
        const dave = await connect(await cluster.token('4', { expiresInSeconds: 6 }));
        expect(await dave.disconnected(30_000)).toBe('io server disconnect');
      }
      expect(ended).toEqual([]);
      expect(tokensGiven).toBeGreaterThanOrEqual(3);
      expect(await socket.timeout(10_000).emitWithAck('join', '2')).toEqual({ success: true });
    } finally {
      socket.close();
    }
  });

  it('refuses a renewal for another user, and one with an invalid token', async () => {
    const carol = await connect(await cluster.token('3'));
    expect(await carol.request('renewToken', { token: await cluster.token('4') })).toEqual({
      error: ErrorMessage.renewTokenOtherUser,
    });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('3')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-secret-0123456789abcdef-0123456789'));
    const answer = await carol.request('renewToken', { token: forged });
    expect(answer).toHaveProperty('error');
    expect(carol.socket.connected).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { useTestServer } from '../support/test-server.ts';

// A fresh server per test: what one test's sockets count against must not
// depend on how fast the server noticed the previous test's disconnects.
const fixture = useTestServer({
  perTest: true,
  config: {
    limits: {
      authTimeoutMs: 2_000,
      maxUnauthenticatedSocketsPerIp: 3,
      maxDevicesPerUser: 6,
      maxDevicesPerUserInCall: 4,
      maxParticipantsPerCall: 6,
    },
  },
});
const { joined } = fixture;
const anonymous = async () => fixture.track(await TestClient.connect(fixture.server.url));

describe('sockets that never authenticate', () => {
  it('are told and dropped after the deadline; joined ones stay', async () => {
    const alice = await joined('1');
    const idle = await anonymous();
    expect(await idle.disconnected()).toBe('io server disconnect');
    expect(idle.received('group_call_error')).toEqual([
      { message: 'Not authenticated in time: send join (or a handshake token) right after connecting' },
    ]);
    // Alice connected before the idle socket and is still served after its deadline.
    expect(alice.socket.connected).toBe(true);
    expect(await alice.request('getProducers')).toEqual({ error: 'Participant not found' });
  });

  it('are capped per address; joining frees a place', async () => {
    const waiting = [await anonymous(), await anonymous(), await anonymous()];
    const fourth = await anonymous();
    expect(await fourth.disconnected()).toBe('io server disconnect');
    expect(fourth.received('group_call_error')).toEqual([
      { message: 'Too many unauthenticated connections from this address' },
    ]);
    expect(waiting.every((client) => client.socket.connected)).toBe(true);

    expect(await waiting[0]?.request('join', '1')).toEqual({ success: true });
    const next = await anonymous();
    expect(await next.request('join', '2')).toEqual({ success: true });
  });
});

describe('devices of one user', () => {
  it('are capped per user, with a clear error on join', async () => {
    for (let i = 0; i < 6; i++) await joined('1');
    const seventh = await anonymous();
    expect(await seventh.request('join', '1')).toEqual({ error: 'Too many devices connected for this user' });
    // Other users are not affected.
    expect(await seventh.request('join', '2')).toEqual({ success: true });
  });

  it('cannot fill a call: a member still gets in', async () => {
    const alices = [];
    for (let i = 0; i < 6; i++) alices.push(await joined('1'));
    const answers = [];
    for (const alice of alices) answers.push(await alice.request('createRoom', { roomId: 'team-alpha' }));
    expect(answers.filter((a) => a.rtpCapabilities)).toHaveLength(4);
    expect(answers.filter((a) => a.error === 'Too many of your devices are in this call')).toHaveLength(2);

    const bob = await joined('2');
    expect((await bob.request('createRoom', { roomId: 'team-alpha' })).rtpCapabilities).toBeDefined();
  });
});

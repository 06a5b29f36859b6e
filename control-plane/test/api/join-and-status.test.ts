import { type TicketError, verifyTicket } from '@groupcall/shared/tickets';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneHarness, pods, ticketVerificationKey } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

// Demo directory: team-alpha = Alice (1), Bob (2), Carol (3), Dave (4); team-beta = Erin (5), Frank (6).
const startedAt = Date.parse('2026-03-04T05:06:07.000Z');
let redis: RedisServer;
let cp: ControlPlaneHarness;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
beforeEach(async () => {
  cp = await ControlPlaneHarness.start({ redisUrl: redis.url, clock: { now: () => startedAt } });
});
afterEach(() => cp.close());

type Admission = {
  callId: string;
  endpoint: { url: string; path: string };
  ticket: string;
  callType: string;
};

async function start(userId: string, conversationId: string, callType = 'video'): Promise<Admission> {
  const response = await cp.request('POST', '/v1/calls', { as: userId, body: { conversationId, callType } });
  expect(response.status).toBe(201);
  return response.body as Admission;
}

describe('POST /v1/calls/{conversationId}/join', () => {
  it('sends every member to the pod that hosts the call, with a ticket for that pod', async () => {
    const alpha = await start('1', 'team-alpha');
    const beta = await start('5', 'team-beta');
    // Two pods, two calls: the second call went to the other, emptier pod.
    expect(alpha.endpoint).not.toEqual(beta.endpoint);

    const carol = await cp.request('POST', '/v1/calls/team-alpha/join', { as: '3' });
    const frank = await cp.request('POST', '/v1/calls/team-beta/join', { as: '6' });

    expect(carol.status).toBe(200);
    expect((carol.body as Admission).endpoint).toEqual(alpha.endpoint);
    expect((frank.body as Admission).endpoint).toEqual(beta.endpoint);
    const alphaPod = pods.find((p) => p.path === alpha.endpoint.path)?.podName ?? '';
    const ticket = await verifyTicket(ticketVerificationKey, (carol.body as Admission).ticket, {
      conversationId: 'team-alpha',
      podName: alphaPod,
    });
    expect(ticket).toMatchObject({
      userId: '3',
      participantInfo: { userId: '3', name: 'Carol', avatar: 'https://i.pravatar.cc/150?img=32' },
    });
    // The ticket is good on that pod only.
    const otherPod = pods.find((p) => p.podName !== alphaPod)?.podName ?? '';
    await expect(
      verifyTicket(ticketVerificationKey, (carol.body as Admission).ticket, {
        conversationId: 'team-alpha',
        podName: otherPod,
      }),
    ).rejects.toMatchObject({ failure: 'wrong-pod' } satisfies Partial<TicketError>);
  });

  it('opens the call without ringing anyone when nobody started it (the guide lets createRoom do that)', async () => {
    const response = await cp.request('POST', '/v1/calls/team-alpha/join', { as: '3' });
    expect(response.status).toBe(200);
    const status = await cp.request('GET', '/v1/calls/team-alpha', { as: '1' });
    expect(status.body).toMatchObject({
      active: true,
      participants: 0,
      callId: (response.body as Admission).callId,
      members: [{ userId: '3', ring: 'accepted' }],
    });
    expect(cp.push.sent).toEqual([]);
  });

  it('refuses a non-member with 403', async () => {
    await start('1', 'team-alpha');
    const response = await cp.request('POST', '/v1/calls/team-alpha/join', { as: '5' });
    expect(response.status).toBe(403);
  });
});

describe('GET /v1/calls/{conversationId}', () => {
  it('shows the active call, with the participant count the sfu-worker reports', async () => {
    const { callId } = await start('1', 'team-alpha', 'audio');

    const first = await cp.request('GET', '/v1/calls/team-alpha', { as: '4' });
    await cp.callState.setParticipantCount('team-alpha', callId, 3);
    const later = await cp.request('GET', '/v1/calls/team-alpha', { as: '4' });

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      conversationId: 'team-alpha',
      active: true,
      callType: 'audio',
      startedAt: '2026-03-04T05:06:07.000Z',
      participants: 0,
      callId,
      members: [
        { userId: '2', ring: 'ringing' },
        { userId: '3', ring: 'ringing' },
        { userId: '4', ring: 'ringing' },
      ],
    });
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(later.body).toMatchObject({ active: true, participants: 3 });
  });

  it('shows no call when none is going on', async () => {
    const response = await cp.request('GET', '/v1/calls/team-beta', { as: '6' });
    expect(response.body).toEqual({
      conversationId: 'team-beta',
      active: false,
      callType: null,
      startedAt: null,
      participants: 0,
      callId: null,
      members: [],
    });
  });

  it('tells non-members nothing (403), and unknown conversations 404', async () => {
    await start('1', 'team-alpha');
    expect((await cp.request('GET', '/v1/calls/team-alpha', { as: '5' })).status).toBe(403);
    expect((await cp.request('GET', '/v1/calls/nope', { as: '5' })).status).toBe(404);
  });

  it('answers 400 for a malformed conversation id', async () => {
    const response = await cp.request('GET', `/v1/calls/${encodeURIComponent('bad id')}`, { as: '1' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid-request' } });
  });
});

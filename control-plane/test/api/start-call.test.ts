import { verifyTicket } from '@groupcall/shared/tickets';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneHarness, pods, ticketVerificationKey } from './support/control-plane.ts';
import { useTeamAlphaDevices } from './support/team-alpha-devices.ts';

// Demo directory: team-alpha = Alice (1), Bob (2), Carol (3, no push token),
// Dave (4, offline); team-beta = Erin (5), Frank (6).
const team = useTeamAlphaDevices({ erin: '5' });
let cp: ControlPlaneHarness;

beforeEach(async () => {
  cp = await ControlPlaneHarness.start({ redisUrl: team.redis.url });
});

afterEach(() => cp.close());

describe('POST /v1/calls', () => {
  it('rings online members on every device, pushes to every member with a token, and admits the caller', async () => {
    const response = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha', callType: 'video' },
    });

    expect(response.status).toBe(201);
    // The call's own id: in the answer and in every event about the call.
    const { callId } = response.body as { callId: string };
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    const incoming = {
      callId,
      callerId: '1',
      conversationId: 'team-alpha',
      callType: 'video',
      callerInfo: { id: 1, name: 'Alice', avatar: 'https://i.pravatar.cc/150?img=47' },
      conversationInfo: { id: 'team-alpha', name: 'Team Alpha', avatar: 'https://i.pravatar.cc/150?img=5' },
    };
    for (const device of [team.bobPhone, team.bobLaptop, team.carol]) {
      expect(await device.waitFor('group_call_incoming')).toEqual(incoming);
    }
    await cp.settle(team.everyone);
    expect(team.alice.eventNames()).toEqual(['group_call_started']);
    for (const device of [team.bobPhone, team.bobLaptop, team.carol]) {
      expect(device.eventNames()).toEqual(['group_call_incoming', 'group_call_started']);
      expect(device.events('group_call_started')).toEqual([
        {
          conversationId: 'team-alpha',
          callId,
          callerInfo: incoming.callerInfo,
          conversationInfo: incoming.conversationInfo,
        },
      ]);
    }
    expect(team.erin.eventNames()).toEqual([]);

    // Bob (online) and Dave (offline) have push tokens; Carol has none; the caller is not pushed.
    const pushes = cp.push.ofType('group_call_initiate');
    expect(pushes.map((p) => [p.userId, p.tokens])).toEqual([
      ['2', ['demo-token-bob']],
      ['4', ['demo-token-dave']],
    ]);
    expect(pushes[0]?.data).toMatchObject({
      title: 'Team Alpha',
      body: 'Alice is calling',
      conversationId: 'team-alpha',
    });

    const body = response.body as { endpoint: { url: string; path: string }; ticket: string };
    const pod = pods.find((p) => p.path === body.endpoint.path);
    expect(pod).toBeDefined();
    expect(body).toMatchObject({
      conversationId: 'team-alpha',
      callType: 'video',
      endpoint: { url: pod?.url },
    });
    const ticket = await verifyTicket(ticketVerificationKey, body.ticket, {
      conversationId: 'team-alpha',
      podName: pod?.podName ?? '',
    });
    expect(ticket.participantInfo).toEqual({
      userId: '1',
      name: 'Alice',
      avatar: 'https://i.pravatar.cc/150?img=47',
    });

    // What the sfu-worker reads instead of the database: who may enter without
    // a ticket, how to label them, and what group_call_started says.
    const call = await cp.callState.get('team-alpha');
    expect(call?.conversationInfo).toEqual(incoming.conversationInfo);
    expect(call?.members).toEqual([
      { userId: '1', name: 'Alice', avatar: 'https://i.pravatar.cc/150?img=47' },
      { userId: '2', name: 'Bob', avatar: 'https://i.pravatar.cc/150?img=12' },
      { userId: '3', name: 'Carol', avatar: 'https://i.pravatar.cc/150?img=32' },
      { userId: '4', name: 'Dave', avatar: 'https://i.pravatar.cc/150?img=53' },
    ]);
    expect(call?.memberIds).toEqual(['1', '2', '3', '4']);
  });

  it('refuses a non-member with 403 and sends nothing to anyone', async () => {
    const response = await cp.request('POST', '/v1/calls', {
      as: '5',
      body: { conversationId: 'team-alpha' },
    });

    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: { code: 'forbidden', message: 'You are not in this group' } });
    await cp.settle(team.everyone);
    for (const device of team.everyone) expect(device.eventNames()).toEqual([]);
    expect(cp.push.sent).toEqual([]);
    expect(await cp.callState.get('team-alpha')).toBeUndefined();
  });

  it('answers 404 for a conversation that does not exist', async () => {
    const response = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'no-such-group' },
    });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'not-found', message: 'Conversation not found' } });
  });

  it('takes the caller from the access token, never from the body', async () => {
    const response = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha', callerId: '2' },
    });

    expect(response.status).toBe(201);
    expect(await team.carol.waitFor('group_call_incoming')).toMatchObject({ callerId: '1' });
    expect((await cp.callState.get('team-alpha'))?.startedBy).toBe('1');
  });

  it('joins the active call instead of ringing team.everyone again', async () => {
    const first = await cp.request('POST', '/v1/calls', { as: '1', body: { conversationId: 'team-alpha' } });
    await cp.settle(team.everyone);
    for (const device of team.everyone) device.clear();
    cp.push.sent.length = 0;

    const second = await cp.request('POST', '/v1/calls', { as: '3', body: { conversationId: 'team-alpha' } });

    expect(second.status).toBe(200);
    expect((second.body as { endpoint: unknown }).endpoint).toEqual(
      (first.body as { endpoint: unknown }).endpoint,
    );
    await cp.settle(team.everyone);
    // Carol answered by starting: her devices stop ringing; nobody is rung again.
    expect(team.carol.events('group_call_ring_stopped')).toEqual([
      { conversationId: 'team-alpha', reason: 'answered', callId: (first.body as { callId: string }).callId },
    ]);
    for (const device of team.everyone) expect(device.eventNames()).not.toContain('group_call_incoming');
    expect(cp.push.ofType('group_call_initiate')).toEqual([]);
  });

  it.each([
    [{ conversationId: 'not a valid id!' }],
    [{ conversationId: 'team-alpha', callType: 'hologram' }],
    [{}],
  ])('answers 400 for an invalid body %j', async (body) => {
    const response = await cp.request('POST', '/v1/calls', { as: '1', body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'invalid-request' } });
    expect(cp.push.sent).toEqual([]);
  });
});

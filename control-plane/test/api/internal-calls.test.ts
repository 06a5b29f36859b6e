import { serviceTokenKey, signServiceToken } from '@groupcall/shared/tickets';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/webhooks/call-events.ts';
import { ControlPlaneHarness, podServiceKey } from './support/control-plane.ts';
import { RecordingPlacement } from './support/recording-placement.ts';
import { useTeamAlphaDevices } from './support/team-alpha-devices.ts';

// Demo directory: team-alpha = Alice (1), Bob (2), Carol (3, no push token), Dave (4, offline here).
const team = useTeamAlphaDevices();
let cp: ControlPlaneHarness | undefined;
let placement: RecordingPlacement;

afterEach(async () => {
  await cp?.close();
  cp = undefined;
});

/** Alice calls team-alpha; resolves once every device has seen the call start. */
async function aliceCalls(): Promise<ControlPlaneHarness> {
  placement = new RecordingPlacement();
  const harness = await ControlPlaneHarness.start({ redisUrl: team.redis.url, placement });
  const response = await harness.request('POST', '/v1/calls', {
    as: '1',
    body: { conversationId: 'team-alpha' },
  });
  expect(response.status).toBe(201);
  await harness.settle(team.everyone);
  return harness;
}

const ringStopped = (reason: string) => ({
  conversationId: 'team-alpha',
  reason,
  callId: expect.any(String),
});
const answered = '/internal/v1/calls/team-alpha/answered';
const ended = '/internal/v1/calls/team-alpha/ended';

describe('POST /internal/v1/calls/{conversationId}/answered', () => {
  it("stops ringing on the user's other devices, by socket and by push, once", async () => {
    cp = await aliceCalls();

    // Bob's laptop entered the call straight through the pod (seed-style createRoom).
    const response = await cp.request('POST', answered, { asPod: 'sfu-0', body: { userId: '2' } });

    expect(response.status).toBe(204);
    expect(await team.bobPhone.waitFor('group_call_ring_stopped')).toEqual(ringStopped('answered'));
    const pushes = cp.push.ringStops();
    expect(pushes.map((p) => [p.userId, p.tokens, p.data.reason])).toEqual([
      ['2', ['demo-token-bob'], 'answered'],
    ]);
    expect(pushes[0]?.data).toMatchObject({ type: 'group_call_ended', body: 'Answered on another device' });

    // Reported again, or joined through the API as well: nobody is told twice.
    expect((await cp.request('POST', answered, { asPod: 'sfu-0', body: { userId: '2' } })).status).toBe(204);
    expect((await cp.request('POST', '/v1/calls/team-alpha/join', { as: '2' })).status).toBe(200);
    await cp.settle(team.everyone);
    expect(team.bobPhone.events('group_call_ring_stopped')).toEqual([ringStopped('answered')]);
    expect(team.bobLaptop.events('group_call_ring_stopped')).toEqual([ringStopped('answered')]);
    expect(team.alice.events('group_call_ring_stopped')).toEqual([]);
    expect(team.carol.events('group_call_ring_stopped')).toEqual([]);
    expect(cp.push.ringStops()).toHaveLength(1);
  });

  it('does nothing when there is no call or the user was not ringing', async () => {
    cp = await aliceCalls();
    const caller = await cp.request('POST', answered, { asPod: 'sfu-0', body: { userId: '1' } });
    const noCall = await cp.request('POST', '/internal/v1/calls/team-beta/answered', {
      asPod: 'sfu-0',
      body: { userId: '5' },
    });
    expect([caller.status, noCall.status]).toEqual([204, 204]);
    await cp.settle(team.everyone);
    expect(team.everyone.flatMap((d) => d.events('group_call_ring_stopped'))).toEqual([]);
    expect(cp.push.ringStops()).toEqual([]);
  });

  it('answers 400 without a valid userId', async () => {
    cp = await aliceCalls();
    const response = await cp.request('POST', answered, { asPod: 'sfu-0', body: { user: '2' } });
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'invalid-request' } } });
  });
});

describe('POST /internal/v1/calls/{conversationId}/ended', () => {
  it('ends the call, tells members still ringing, and releases the placement', async () => {
    cp = await aliceCalls();
    // Bob declined: he is not ringing any more, so the end is not news to him.
    await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '2' });
    await cp.settle(team.everyone);

    const response = await cp.request('POST', ended, { asPod: 'sfu-0' });

    expect(response.status).toBe(204);
    expect(await team.carol.waitFor('group_call_ring_stopped')).toEqual(ringStopped('ended'));
    // Dave is offline: the push is what stops his phone ringing. Carol has no push token.
    const endPushes = cp.push.ringStops().filter((p) => p.data.reason === 'ended');
    expect(endPushes.map((p) => [p.userId, p.tokens])).toEqual([['4', ['demo-token-dave']]]);
    expect(endPushes[0]?.data).toMatchObject({
      type: 'group_call_ended',
      title: 'Team Alpha',
      body: 'Call ended',
      conversationId: 'team-alpha',
    });
    const status = await cp.request('GET', '/v1/calls/team-alpha', { as: '3' });
    expect(status.body).toMatchObject({ active: false, participants: 0 });
    expect(placement.released).toEqual([{ conversationId: 'team-alpha', podName: 'sfu-0' }]);
    await cp.settle(team.everyone);
    expect(team.bobPhone.events('group_call_ring_stopped')).toEqual([ringStopped('declined')]);
    expect(team.alice.events('group_call_ring_stopped')).toEqual([]);
  });

  it('is idempotent: a second report tells nobody anything', async () => {
    cp = await aliceCalls();
    await cp.request('POST', ended, { asPod: 'sfu-0' });
    await cp.settle(team.everyone);
    const pushes = cp.push.ringStops().length;

    const again = await cp.request('POST', ended, { asPod: 'sfu-0' });

    expect(again.status).toBe(204);
    await cp.settle(team.everyone);
    expect(team.carol.events('group_call_ring_stopped')).toEqual([ringStopped('ended')]);
    expect(cp.push.ringStops()).toHaveLength(pushes);
  });
});

describe('a late "ended" for an earlier call', () => {
  it('leaves the newer call in the conversation ringing and running', async () => {
    cp = await aliceCalls();
    const first = (await cp.callState.get('team-alpha'))?.callId;
    await cp.request('POST', ended, { asPod: 'sfu-0', body: { callId: first } });
    await team.carol.waitFor('group_call_ended');
    const second = await cp.request('POST', '/v1/calls', { as: '1', body: { conversationId: 'team-alpha' } });
    expect(second.status).toBe(201);
    const secondId = (second.body as { callId: string }).callId;
    await cp.settle(team.everyone);
    for (const device of team.everyone) device.clear();
    const released = placement.released.length;

    // The pod's report of the first call's end, retried after the second call started.
    const late = await cp.request('POST', ended, { asPod: 'sfu-0', body: { callId: first } });

    expect(late.status).toBe(204);
    await cp.settle(team.everyone);
    expect(
      team.everyone.flatMap((d) => [...d.events('group_call_ended'), ...d.events('group_call_ring_stopped')]),
    ).toEqual([]);
    expect(placement.released).toHaveLength(released);
    expect((await cp.request('GET', '/v1/calls/team-alpha', { as: '3' })).body).toMatchObject({
      active: true,
      callId: secondId,
      members: expect.arrayContaining([{ userId: '3', ring: 'ringing' }]),
    });
    // The second call's own end still reaches everyone.
    await cp.request('POST', ended, { asPod: 'sfu-0', body: { callId: secondId } });
    expect(await team.carol.waitFor('group_call_ended')).toEqual({
      conversationId: 'team-alpha',
      callId: secondId,
    });
  });
});

describe('POST /internal/v1/calls/{conversationId}/participants/{joined|left}', () => {
  it('become participant webhooks for the current call only', async () => {
    const events: CallEvent[] = [];
    cp = await ControlPlaneHarness.start({
      redisUrl: team.redis.url,
      callEvents: { publish: async (event) => void events.push(event), close: async () => {} },
    });
    const started = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha' },
    });
    const { callId } = started.body as { callId: string };
    const device = { userId: '2', socketId: 'socket-of-bob' };
    const path = (change: string) => `/internal/v1/calls/team-alpha/participants/${change}`;

    for (const change of ['joined', 'left'])
      expect(
        (await cp.request('POST', path(change), { asPod: 'sfu-0', body: { callId, ...device } })).status,
      ).toBe(204);
    // A report about another (ended) call of the conversation is dropped.
    const stale = { callId: '00000000-0000-4000-8000-000000000000', ...device };
    expect((await cp.request('POST', path('left'), { asPod: 'sfu-0', body: stale })).status).toBe(204);

    expect(events.map((e) => e.type)).toEqual(['call.started', 'participant.joined', 'participant.left']);
    expect(events[1]?.data).toEqual({ callId, conversationId: 'team-alpha', ...device });
  });

  it('answer 400 to a malformed report and 401 without a service token', async () => {
    cp = await aliceCalls();
    const path = '/internal/v1/calls/team-alpha/participants/joined';
    const bad = await cp.request('POST', path, { asPod: 'sfu-0', body: { userId: '2', socketId: 's' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid-request' } } });
    const anonymous = await cp.request('POST', path, { body: { callId: 'x', userId: '2', socketId: 's' } });
    expect(anonymous.status).toBe(401);
  });
});

describe('service token', () => {
  it('is required: missing, malformed, forged, expired, an access token or a ticket get 401', async () => {
    cp = await aliceCalls();
    const admission = await cp.request('POST', '/v1/calls/team-alpha/join', { as: '3' });
    const { ticket } = admission.body as { ticket: string };
    const forged = await signServiceToken(
      serviceTokenKey('another-pod-service-secret-0123456789abcdef'),
      'sfu-0',
    );
    const expired = await signServiceToken(podServiceKey, 'sfu-0', {
      now: () => Date.now() - 120_000,
    });
    const attempts: { name: string; headers?: Record<string, string>; as?: string }[] = [
      { name: 'missing' },
      { name: 'malformed', headers: { authorization: 'Bearer not-a-jwt' } },
      { name: 'forged', headers: { authorization: `Bearer ${forged}` } },
      { name: 'expired', headers: { authorization: `Bearer ${expired}` } },
      { name: 'access token', as: '2' },
      { name: 'ticket', headers: { authorization: `Bearer ${ticket}` } },
    ];

    for (const { name, headers, as } of attempts) {
      for (const path of [answered, ended]) {
        const response = await cp.request('POST', path, { as, headers, body: { userId: '2' } });
        expect({ name, path, status: response.status, body: response.body }).toMatchObject({
          name,
          path,
          status: 401,
          body: { error: { code: 'unauthenticated' } },
        });
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    // Nothing happened: the call goes on and Bob still rings.
    await cp.settle(team.everyone);
    expect(team.bobPhone.events('group_call_ring_stopped')).toEqual([]);
    expect((await cp.request('GET', '/v1/calls/team-alpha', { as: '2' })).body).toMatchObject({
      active: true,
    });
    expect(placement.released).toEqual([]);
  });
});

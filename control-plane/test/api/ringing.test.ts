import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneHarness } from './support/control-plane.ts';
import { useTeamAlphaDevices } from './support/team-alpha-devices.ts';

// Demo directory: team-alpha = Alice (1), Bob (2), Carol (3, no push token), Dave (4, offline here).
const team = useTeamAlphaDevices();
let cp: ControlPlaneHarness | undefined;

afterEach(async () => {
  await cp?.close();
  cp = undefined;
});

/** Alice calls team-alpha; resolves once every device has seen the call start. */
async function aliceCalls(options: { ringTimeoutMs?: number } = {}): Promise<ControlPlaneHarness> {
  const harness = await ControlPlaneHarness.start({ redisUrl: team.redis.url, ...options });
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

describe('POST /v1/calls/{conversationId}/decline', () => {
  it("stops ringing on all of the member's devices, by socket and by push, and on nobody else's", async () => {
    cp = await aliceCalls();

    const response = await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '2' });

    expect(response.status).toBe(204);
    expect(await team.bobPhone.waitFor('group_call_ring_stopped')).toEqual(ringStopped('declined'));
    expect(await team.bobLaptop.waitFor('group_call_ring_stopped')).toEqual(ringStopped('declined'));
    const pushes = cp.push.ringStops();
    expect(pushes.map((p) => [p.userId, p.tokens, p.data.reason])).toEqual([
      ['2', ['demo-token-bob'], 'declined'],
    ]);
    expect(pushes[0]?.data).toMatchObject({ conversationId: 'team-alpha', title: 'Team Alpha' });
    await cp.settle(team.everyone);
    expect(team.alice.events('group_call_ring_stopped')).toEqual([]);
    expect(team.carol.events('group_call_ring_stopped')).toEqual([]);
  });

  it('does nothing the second time', async () => {
    cp = await aliceCalls();
    await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '2' });
    await cp.settle(team.everyone);

    const again = await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '2' });

    expect(again.status).toBe(204);
    await cp.settle(team.everyone);
    expect(team.bobPhone.events('group_call_ring_stopped')).toHaveLength(1);
    expect(cp.push.ringStops()).toHaveLength(1);
  });

  it('refuses a non-member with 403', async () => {
    cp = await aliceCalls();
    const response = await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '5' });
    expect(response.status).toBe(403);
    expect(cp.push.ringStops()).toEqual([]);
  });
});

describe('answering', () => {
  it("stops ringing on the member's other devices when they join", async () => {
    cp = await aliceCalls();

    const response = await cp.request('POST', '/v1/calls/team-alpha/join', { as: '2' });

    expect(response.status).toBe(200);
    expect(await team.bobLaptop.waitFor('group_call_ring_stopped')).toEqual(ringStopped('answered'));
    expect(cp.push.ringStops().map((p) => [p.userId, p.data.reason])).toEqual([['2', 'answered']]);
  });
});

describe('ring timeout', () => {
  it('tells team.everyone still ringing that they missed the call, by socket and by push', async () => {
    cp = await aliceCalls({ ringTimeoutMs: 1_000 });
    // Alice is in the room (as her pod reports).
    const callId = (await cp.callState.get('team-alpha'))?.callId ?? '';
    await cp.callState.setParticipantCount('team-alpha', callId, 1);
    // Bob declines before the timeout: he is not ringing any more, so he missed nothing.
    await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '2' });

    expect(await team.carol.waitFor('group_call_ring_stopped', undefined, 5_000)).toEqual(
      ringStopped('missed'),
    );
    // Dave is offline: only his push tells his phone to stop ringing. Carol has no token.
    const pushes = cp.push.ringStops();
    expect(pushes.map((p) => [p.userId, p.data.reason])).toEqual([
      ['2', 'declined'],
      ['4', 'missed'],
    ]);
    expect(pushes[1]?.data).toMatchObject({
      type: 'group_call_missed',
      body: 'Missed group call from Alice',
    });
    await cp.settle(team.everyone);
    expect(team.bobPhone.events('group_call_ring_stopped')).toEqual([ringStopped('declined')]);
    expect(team.alice.events('group_call_ring_stopped')).toEqual([]);
    // The call itself goes on (Alice is in it): missing the ring does not end it.
    const status = await cp.request('GET', '/v1/calls/team-alpha', { as: '3' });
    expect(status.body).toMatchObject({
      active: true,
      callId,
      members: [
        { userId: '2', ring: 'declined' },
        { userId: '3', ring: 'missed' },
        { userId: '4', ring: 'missed' },
      ],
    });
    expect(team.carol.events('group_call_ended')).toEqual([]);
  });

  it('ends a call nobody entered, so the next call rings again', async () => {
    cp = await aliceCalls({ ringTimeoutMs: 1_000 });
    const callId = (await cp.callState.get('team-alpha'))?.callId;

    // Alice's app died before it reached the room: nobody is in the call when the ring times out.
    expect(await team.bobPhone.waitFor('group_call_ended', undefined, 5_000)).toEqual({
      conversationId: 'team-alpha',
      callId,
    });
    expect(await team.alice.waitFor('group_call_ended')).toEqual({ conversationId: 'team-alpha', callId });
    expect((await cp.request('GET', '/v1/calls/team-alpha', { as: '3' })).body).toMatchObject({
      active: false,
    });

    const next = await cp.request('POST', '/v1/calls', { as: '3', body: { conversationId: 'team-alpha' } });
    expect(next.status).toBe(201);
    // A new call, with its own id, rings Bob again.
    const nextCallId = (next.body as { callId: string }).callId;
    expect(nextCallId).not.toBe(callId);
    await team.bobPhone.waitFor('group_call_incoming', (incoming) => incoming.callId === nextCallId);
  });
});

describe('declining', () => {
  it("tells the caller's devices who declined, and nobody else", async () => {
    cp = await aliceCalls();
    const callId = (await cp.callState.get('team-alpha'))?.callId;

    await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '2' });

    expect(await team.alice.waitFor('group_call_declined')).toEqual({
      conversationId: 'team-alpha',
      callId,
      userId: '2',
    });
    await cp.settle(team.everyone);
    for (const device of [team.bobPhone, team.bobLaptop, team.carol])
      expect(device.events('group_call_declined')).toEqual([]);
    // Carol and Dave still ring: the call goes on.
    expect((await cp.request('GET', '/v1/calls/team-alpha', { as: '3' })).body).toMatchObject({
      active: true,
    });
  });

  it('ends the call when everyone declined and nobody is in the room', async () => {
    cp = await aliceCalls();
    const callId = (await cp.callState.get('team-alpha'))?.callId;
    for (const member of ['2', '3', '4'])
      await cp.request('POST', '/v1/calls/team-alpha/decline', { as: member });

    expect(await team.alice.waitFor('group_call_ended')).toEqual({ conversationId: 'team-alpha', callId });
    expect((await cp.request('GET', '/v1/calls/team-alpha', { as: '3' })).body).toMatchObject({
      active: false,
    });
  });
});

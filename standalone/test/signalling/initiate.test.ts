import type { LogPushSender } from '@groupcall/control-plane/log-push-sender';
import { GroupCallIncomingSchema, GroupCallStartedSchema } from '@groupcall/shared/protocol';
import { describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { useTestServer } from '../support/test-server.ts';

// A fresh server per test: a call, once started, stays active (ringing) until
// it ends or times out, and a second initiate joins it instead of ringing again.
const fixture = useTestServer({ perTest: true });
const { joined, track } = fixture;

describe('group_call_initiate', () => {
  it('rings every device of the other members and tells all members the call started', async () => {
    const alice = await joined('1');
    const bobPhone = await joined('2');
    const bobLaptop = await joined('2');
    const dave = await joined('4');
    const erin = await joined('5'); // not in team-alpha

    alice.emit('group_call_initiate', { callerId: '1', conversationId: 'team-alpha', callType: 'audio' });

    const expected = {
      callId: expect.any(String),
      callerId: '1',
      conversationId: 'team-alpha',
      callType: 'audio',
      callerInfo: { id: 1, name: 'Alice', avatar: 'https://i.pravatar.cc/150?img=47' },
      conversationInfo: { id: 'team-alpha', name: 'Team Alpha', avatar: 'https://i.pravatar.cc/150?img=5' },
    };
    for (const device of [bobPhone, bobLaptop, dave]) {
      const incoming = await device.waitFor('group_call_incoming');
      expect(GroupCallIncomingSchema.parse(incoming)).toEqual(expected);
    }
    for (const device of [alice, bobPhone, bobLaptop, dave]) {
      const started = await device.waitFor('group_call_started');
      expect(GroupCallStartedSchema.parse(started)).toEqual({
        conversationId: 'team-alpha',
        callId: expect.any(String),
        callerInfo: expected.callerInfo,
        conversationInfo: expected.conversationInfo,
      });
    }
    for (const device of [alice, erin, bobPhone]) await device.settle();
    expect(alice.received('group_call_incoming')).toEqual([]);
    expect(erin.received('group_call_incoming')).toEqual([]);
    expect(erin.received('group_call_started')).toEqual([]);
    expect(bobPhone.received('group_call_incoming')).toHaveLength(1);
  });

  it('pushes the seed fields to every other member with devices, online or not', async () => {
    const alice = await joined('1');
    alice.emit('group_call_initiate', { callerId: '1', conversationId: 'team-alpha', callType: 'video' });
    await alice.waitFor('group_call_started');

    const sent = (fixture.server.push as LogPushSender).sent;
    // Bob and Dave have tokens; Carol has none; the caller is not pushed.
    expect(sent.map((m) => m.userId).sort()).toEqual(['2', '4']);
    const push = sent.find((m) => m.userId === '2');
    expect(push?.tokens).toEqual(['demo-token-bob']);
    expect(push?.data).toMatchObject({
      type: 'group_call_initiate',
      success: 'true',
      title: 'Team Alpha',
      body: 'Alice is calling',
      message: 'Alice started a group call',
      conversationId: 'team-alpha',
    });
    expect(JSON.parse(push?.data.data ?? '{}')).toMatchObject({
      callerId: '1',
      callType: 'video',
      callerInfo: { id: 1, name: 'Alice' },
      conversationInfo: { id: 'team-alpha', name: 'Team Alpha' },
    });
  });

  it('sends a null avatar as null', async () => {
    const frank = await joined('6');
    const erin = await joined('5');
    frank.emit('group_call_initiate', { callerId: '6', conversationId: 'team-beta', callType: 'video' });
    const incoming = await erin.waitFor('group_call_incoming');
    expect(incoming.callerInfo).toEqual({ id: 6, name: 'Frank', avatar: null });
    expect(incoming.conversationInfo).toEqual({ id: 'team-beta', name: 'Team Beta', avatar: null });
  });

  it.each([
    ['a non-member', '5', { callerId: '5', conversationId: 'team-alpha' }, 'You are not in this group'],
    [
      'an unknown conversation',
      '1',
      { callerId: '1', conversationId: 'no-such-group' },
      'Conversation not found',
    ],
    [
      'an invalid caller id',
      '1',
      { callerId: 'not an id!', conversationId: 'team-alpha' },
      'Invalid caller id',
    ],
    [
      'a caller id that is not the joined user',
      '1',
      { callerId: '2', conversationId: 'team-alpha' },
      'User id does not match the authenticated user',
    ],
  ])('answers %s with group_call_error and rings nobody', async (_case, userId, payload, message) => {
    const caller = await joined(userId);
    const bob = await joined('2');
    caller.emit('group_call_initiate', { callType: 'video', ...payload });
    expect(await caller.waitFor('group_call_error')).toEqual({ message });
    await bob.settle();
    expect(bob.received('group_call_incoming')).toEqual([]);
    expect((fixture.server.push as LogPushSender).sent).toEqual([]);
  });

  it('requires join first', async () => {
    const anonymous = track(await TestClient.connect(fixture.server.url));
    anonymous.emit('group_call_initiate', { callerId: '1', conversationId: 'team-alpha' });
    expect(await anonymous.waitFor('group_call_error')).toEqual({ message: 'Join first with your user ID' });
  });

  it('refuses to switch a connection to another user', async () => {
    const alice = await joined('1');
    alice.emit('join', '2');
    expect(await alice.waitFor('group_call_error')).toEqual({
      message: 'This connection is already joined as another user',
    });
  });
});

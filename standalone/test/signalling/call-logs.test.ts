import { captureLogs } from '@groupcall/testing';
import { describe, expect, it } from 'vitest';
import { consume, enterCall, produce } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

/**
 * An operator follows one call through the pod's logs with grep on its
 * callId: every line a device's requests write while it is in the call
 * carries the callId, the conversation and the user (pino child loggers
 * bound when the device enters the call), down to its disconnect; and so
 * does every line of the control plane's requests about the call.
 */

const { log, lines, linesRepeating } = captureLogs('groupcall');
// Two participants per call: a third device's createRoom is refused with the call known.
const fixture = useTestServer({ log, config: { limits: { maxParticipantsPerCall: 2 } } });
const { joined } = fixture;

describe('the logs of a call on the pod', () => {
  it('carry the callId, conversationId and userId on every line about a device in the call', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const callId = fixture.server.rooms.get('team-alpha')?.callId;
    expect(callId).toMatch(/.+/);
    const audio = await produce(alice, 'audio');
    expect((await consume(bob, audio)).id).toBeTruthy();
    // A refused and an invalid request are logged too: they belong to the call.
    expect((await alice.client.request('resumeConsumer', { consumerId: 'nope' })).error).toBe(
      'Consumer not found',
    );
    expect((await alice.client.request('createTransport', { type: 'sideways' })).error).toMatch(
      /^Invalid payload/,
    );
    const socketId = alice.client.socket.id;
    alice.client.close();
    bob.client.close();
    await expect.poll(() => lines.some((l) => l.socketId === socketId && l.msg === 'left call')).toBe(true);

    const entered = lines.findIndex((l) => l.socketId === socketId && l.msg === 'entered call');
    expect(entered).toBeGreaterThanOrEqual(0);
    const inCall = lines.slice(entered).filter((l) => l.socketId === socketId);
    expect(inCall.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'transport created',
        'producer created',
        'request refused',
        'request rejected',
        'socket disconnected',
        'left call',
      ]),
    );
    for (const line of inCall)
      expect(line).toMatchObject({ callId, conversationId: 'team-alpha', userId: '1' });
    // The control plane's side (the pod reporting answers and the end over HTTP): every line of
    // a request about this call, its request line included, names the call too.
    await expect.poll(() => lines.some((l) => l.msg === 'call ended' && l.callId === callId)).toBe(true);
    const callRequests = new Set(
      lines.filter((l) => l.requestId && l.callId === callId).map((l) => l.requestId),
    );
    const controlPlaneLines = lines.filter((l) => callRequests.has(l.requestId));
    expect(controlPlaneLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['call ended', 'request']));
    for (const line of controlPlaneLines)
      expect(line).toMatchObject({ callId, conversationId: 'team-alpha' });
    expect(linesRepeating(['callId', 'conversationId', 'userId', 'socketId'])).toEqual([]);
    // Bob's consumer of Alice's audio is a line of his, in the same call.
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'consumer created', callId, userId: '2', producerId: audio }),
    );
  });

  it('carry the callId of the call a createRoom was refused for, before the device is in any call', async () => {
    await enterCall(await joined('1'), 'team-alpha');
    await enterCall(await joined('2'), 'team-alpha');
    const callId = fixture.server.rooms.get('team-alpha')?.callId;
    expect(callId).toMatch(/.+/);
    const carol = await joined('3');
    expect((await carol.request('createRoom', { roomId: 'team-alpha' })).error).toBe('This call is full');
    const refused = lines.find(
      (l) => l.socketId === carol.socket.id && l.msg === 'request refused' && l.event === 'createRoom',
    );
    expect(refused).toMatchObject({ callId, conversationId: 'team-alpha', userId: '3' });
    expect(linesRepeating(['callId', 'conversationId', 'userId'])).toEqual([]);
  });
});

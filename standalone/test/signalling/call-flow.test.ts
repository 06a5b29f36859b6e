import { beforeAll, describe, expect, it } from 'vitest';
import {
  clientDtlsParameters,
  consume,
  enterCall,
  produce,
  videoRtpParameters,
} from '../support/media-fixtures.ts';
import { TestClient } from '../support/test-client.ts';
import { useTestServer, watchMediasoup } from '../support/test-server.ts';

const fixture = useTestServer();
const { joined } = fixture;
let media: ReturnType<typeof watchMediasoup>;
beforeAll(() => {
  media = watchMediasoup(fixture.server);
});

describe('createRoom', () => {
  it('answers the router capabilities with opus, VP8, VP9 and H264', async () => {
    const alice = await joined('1');
    const { rtpCapabilities } = await alice.request('createRoom', { roomId: 'team-alpha' });
    const mimeTypes = rtpCapabilities.codecs.map((c: { mimeType: string }) => c.mimeType);
    expect(mimeTypes).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/VP9', 'video/H264']));
  });

  it.each([
    ['before join', undefined, { roomId: 'team-alpha' }, 'Join first with your user ID'],
    ['without a roomId', '1', {}, 'roomId required'],
    ['with an empty roomId', '1', { roomId: '' }, 'roomId required'],
    ['by a non-member', '5', { roomId: 'team-alpha' }, 'You are not in this group'],
    ['for an unknown conversation', '1', { roomId: 'nope' }, 'You are not in this group'],
  ])('is refused %s', async (_case, userId, payload, error) => {
    const client = userId
      ? await joined(userId)
      : fixture.track(await TestClient.connect(fixture.server.url));
    expect(await client.request('createRoom', payload)).toEqual({ error });
    expect(fixture.server.rooms.rooms).toEqual([]);
  });

  it('works right after a join that was not waited for, as the guide sends them', async () => {
    const alice = fixture.track(await TestClient.connect(fixture.server.url));
    alice.emit('join', '1');
    const answer = await alice.request('createRoom', { roomId: 'team-alpha' });
    expect(answer.rtpCapabilities).toBeDefined();
  });

  it('tells every member once that the call started when the first device enters', async () => {
    const alice = await joined('1');
    const bob = await joined('2');
    const dave = await joined('4');
    await enterCall(alice, 'team-alpha');
    await enterCall(bob, 'team-alpha');
    for (const member of [alice, bob, dave]) {
      expect(await member.waitFor('group_call_started')).toEqual({
        conversationId: 'team-alpha',
        callId: expect.any(String),
        conversationInfo: { id: 'team-alpha', name: 'Team Alpha', avatar: 'https://i.pravatar.cc/150?img=5' },
      });
      await member.settle();
      expect(member.received('group_call_started')).toHaveLength(1);
    }
  });

  it('called twice by one device leaves no participant or transport behind', async () => {
    const alice = await joined('1');
    const first = await enterCall(alice, 'team-alpha');
    const second = await enterCall(alice, 'team-alpha');
    expect(fixture.server.rooms.get('team-alpha')?.size).toBe(1);
    const byId = (id: string) => media.transports.find((t) => t.id === id);
    expect(byId(first.sendTransportId)?.closed).toBe(true);
    expect(byId(first.recvTransportId)?.closed).toBe(true);
    expect(byId(second.sendTransportId)?.closed).toBe(false);
  });
});

describe('transports', () => {
  it('need a call first', async () => {
    const alice = await joined('1');
    expect(await alice.request('createTransport', { type: 'send' })).toEqual({
      error: 'Participant not found',
    });
    expect(
      await alice.request('connectTransport', { transportId: 'x', dtlsParameters: clientDtlsParameters }),
    ).toEqual({ error: 'Participant not found' });
  });

  it('connect in both directions (the original never connected receive transports)', async () => {
    const alice = await joined('1');
    const call = await enterCall(alice, 'team-alpha');
    for (const id of [call.sendTransportId, call.recvTransportId]) {
      const transport = media.transports.find((t) => t.id === id);
      // The server takes the DTLS server role once the client's parameters are applied.
      expect((transport as unknown as { dtlsParameters: { role: string } }).dtlsParameters.role).toBe(
        'server',
      );
    }
  });

  it('answer unknown ids and bad directions with the guide errors', async () => {
    const alice = await joined('1');
    await enterCall(alice, 'team-alpha');
    expect(
      await alice.request('connectTransport', { transportId: 'nope', dtlsParameters: clientDtlsParameters }),
    ).toEqual({ error: 'Transport not found' });
    expect((await alice.request('createTransport', { type: 'sideways' })).error).toMatch(
      /^Invalid payload: type/,
    );
  });
});

describe('producing and consuming', () => {
  it('announces a new producer to the others with participantInfo, not to the producer', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const producerId = await produce(alice, 'video');
    expect(await bob.client.waitFor('newProducer')).toEqual({
      producerId,
      kind: 'video',
      socketId: alice.client.id,
      participantInfo: { userId: '1', name: 'Alice', avatar: 'https://i.pravatar.cc/150?img=47' },
      paused: false, // additive (track control); a guide-only client ignores it
    });
    await alice.client.settle();
    expect(alice.client.received('newProducer')).toEqual([]);
  });

  it('refuses to produce on a receive transport', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const response = await alice.client.request('produce', {
      transportId: alice.recvTransportId,
      kind: 'video',
      rtpParameters: videoRtpParameters(),
    });
    expect(response).toEqual({ error: 'Wrong transport direction' });
  });

  it('lists existing producers for a late joiner, with either getProducers signature', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const audio = await produce(alice, 'audio');
    const video = await produce(alice, 'video');
    const carol = await enterCall(await joined('3'), 'team-alpha');
    const withoutData = await carol.client.request('getProducers');
    const withData = await carol.client.request('getProducers', {});
    for (const { producers } of [withoutData, withData]) {
      expect(producers).toHaveLength(2);
      expect(producers.map((p: { id: string }) => p.id).sort()).toEqual([audio, video].sort());
      expect(producers[0]).toMatchObject({
        socketId: alice.client.id,
        participantInfo: { userId: '1', name: 'Alice' },
      });
    }
    // A device never gets its own producers back.
    expect((await alice.client.request('getProducers')).producers).toEqual([]);
  });

  it('creates consumers paused and resumes them on resumeConsumer', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const producerId = await produce(alice, 'video');
    const consumed = await consume(bob, producerId);
    expect(consumed).toMatchObject({ producerId, kind: 'video' });
    expect(consumed.rtpParameters.codecs[0].mimeType).toBe('video/VP8');
    const consumer = media.consumers.find((c) => c.id === consumed.id);
    expect(consumer?.paused).toBe(true);
    expect(await bob.client.request('resumeConsumer', { consumerId: consumed.id })).toEqual({
      success: true,
    });
    expect(consumer?.paused).toBe(false);
    expect(await bob.client.request('resumeConsumer', { consumerId: 'nope' })).toEqual({
      error: 'Consumer not found',
    });
  });

  it('answers every documented consume error', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const producerId = await produce(alice, 'video');
    const request = (overrides: object) =>
      bob.client.request('consume', {
        transportId: bob.recvTransportId,
        producerId,
        rtpCapabilities: bob.rtpCapabilities,
        ...overrides,
      });
    expect(await request({ producerId: 'missing' })).toEqual({ error: 'Producer not found' });
    expect(await request({ rtpCapabilities: { codecs: [] } })).toEqual({
      error: 'RTP capabilities mismatch',
    });
    expect(await request({ transportId: bob.sendTransportId })).toEqual({
      error: 'Receive transport not found',
    });
    expect(await consume(alice, producerId)).toEqual({ error: 'Cannot consume own producer' });
  });

  it('closes a consumer and tells its client when the producer goes', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const producerId = await produce(alice, 'audio');
    const consumed = await consume(bob, producerId);
    alice.client.emit('leaveRoom');
    expect(await bob.client.waitFor('consumerClosed')).toEqual({ consumerId: consumed.id, producerId });
    expect(media.consumers.find((c) => c.id === consumed.id)?.closed).toBe(true);
  });
});

describe('leaving', () => {
  it('sends participantLeft once and group_call_ended once, even when leaveRoom is followed by a disconnect', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const dave = await joined('4');

    alice.client.emit('leaveRoom');
    expect(await bob.client.waitFor('participantLeft')).toEqual({ socketId: alice.client.id });
    alice.client.close();
    bob.client.emit('leaveRoom');
    bob.client.close();

    for (const member of [dave]) {
      expect(await member.waitFor('group_call_ended')).toEqual({
        conversationId: 'team-alpha',
        callId: expect.any(String),
      });
    }
    await dave.settle();
    expect(dave.received('group_call_ended')).toHaveLength(1);
    expect(bob.client.received('participantLeft')).toHaveLength(1);
  });

  it('on disconnect closes the device transports, producers and consumers and ends the empty call', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const producerId = await produce(alice, 'video');
    const consumed = await consume(bob, producerId);
    const routersBefore = media.routers.filter((r) => !r.closed);
    expect(routersBefore).toHaveLength(1);

    bob.client.close();
    expect(await alice.client.waitFor('participantLeft')).toEqual({ socketId: bob.client.id });
    expect(media.consumers.find((c) => c.id === consumed.id)?.closed).toBe(true);
    expect(media.transports.find((t) => t.id === bob.recvTransportId)?.closed).toBe(true);

    alice.client.close();
    await expect.poll(() => routersBefore[0]?.closed).toBe(true);
    expect(media.producers.find((p) => p.id === producerId)?.closed).toBe(true);
    expect(fixture.server.rooms.get('team-alpha')).toBeUndefined();
  });

  it('keeps each device of one user independent: user events on both, media state per device', async () => {
    const phoneSocket = await joined('2');
    const laptop = await joined('2');
    const alice = await joined('1');
    alice.emit('group_call_initiate', { callerId: '1', conversationId: 'team-beta' });
    await alice.waitFor('group_call_error');
    alice.emit('group_call_initiate', { callerId: '1', conversationId: 'team-alpha' });
    await phoneSocket.waitFor('group_call_incoming');
    await laptop.waitFor('group_call_incoming');

    const phone = await enterCall(phoneSocket, 'team-alpha');
    const laptopCall = await enterCall(laptop, 'team-alpha');
    const phoneProducer = await produce(phone, 'audio');
    expect((await consume(laptopCall, phoneProducer)).producerId).toBe(phoneProducer);

    phone.client.emit('leaveRoom');
    expect(await laptop.waitFor('participantLeft')).toEqual({ socketId: phone.client.id });
    expect(fixture.server.rooms.get('team-alpha')?.size).toBe(1);
    expect((await laptop.request('getProducers')).producers).toEqual([]);
  });
});

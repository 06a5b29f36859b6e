import { describe, expect, it } from 'vitest';
import { enterCall, produce, videoRtpParameters } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

const fixture = useTestServer({
  config: {
    limits: {
      maxParticipantsPerCall: 2,
      maxTransportsPerSocket: 2,
      maxProducersPerSocket: 2,
      maxConsumersPerSocket: 1,
      maxPayloadBytes: 8 * 1024,
    },
  },
});
const { joined } = fixture;

describe('limits', () => {
  it('caps participants per call', async () => {
    await enterCall(await joined('1'), 'team-alpha');
    await enterCall(await joined('2'), 'team-alpha');
    const carol = await joined('3');
    expect(await carol.request('createRoom', { roomId: 'team-alpha' })).toEqual({
      error: 'This call is full',
    });
  });

  it('caps transports, producers and consumers per device', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    expect(await alice.client.request('createTransport', { type: 'send' })).toEqual({
      error: 'Too many transports',
    });
    await produce(alice, 'audio');
    await produce(alice, 'video');
    const third = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: videoRtpParameters(),
    });
    expect(third).toEqual({ error: 'Too many producers' });

    const bob = await enterCall(await joined('2'), 'team-alpha');
    const [first, second] = (await bob.client.request('getProducers')).producers;
    const consume = (producerId: string) =>
      bob.client.request('consume', {
        transportId: bob.recvTransportId,
        producerId,
        rtpCapabilities: bob.rtpCapabilities,
      });
    expect((await consume(first.id)).id).toBeDefined();
    expect(await consume(second.id)).toEqual({ error: 'Too many consumers' });
  });

  it('answers an oversized message with an error instead of processing it', async () => {
    const alice = await joined('1');
    const response = await alice.request('createRoom', {
      roomId: 'team-alpha',
      padding: 'x'.repeat(10 * 1024),
    });
    expect(response).toEqual({ error: 'Payload too large' });
    expect(fixture.server.rooms.rooms).toEqual([]);
    // The connection stays usable.
    expect((await alice.request('createRoom', { roomId: 'team-alpha' })).rtpCapabilities).toBeDefined();
  });
});

describe('validation', () => {
  it.each([
    ['createTransport', { type: 7 }],
    ['connectTransport', { transportId: 't', dtlsParameters: { fingerprints: 'none' } }],
    [
      'produce',
      {
        transportId: 't',
        kind: 'video',
        rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 'x' }] },
      },
    ],
    ['consume', { transportId: 't', producerId: 'p' }],
    ['resumeConsumer', { consumerId: { $ne: null } }],
    ['createRoom', { roomId: ['team-alpha'] }],
  ])('answers a malformed %s with an Invalid payload error', async (event, payload) => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const response = await alice.client.request(event, payload);
    expect(response.error).toMatch(/^Invalid payload: /);
  });

  it('answers a request without ack callback through group_call_error', async () => {
    const alice = await joined('1');
    alice.emit('createTransport', { type: 'send' });
    expect(await alice.waitFor('group_call_error')).toEqual({ message: 'Participant not found' });
  });

  it('rejects mediasoup-invalid media parameters without harming the call', async () => {
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const response = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: {
        ...videoRtpParameters(),
        codecs: [{ mimeType: 'audio/unknown', payloadType: 99, clockRate: 8000 }],
      },
    });
    expect(response.error).toEqual(expect.any(String));
    expect(await produce(alice, 'audio')).toEqual(expect.any(String));
  });
});

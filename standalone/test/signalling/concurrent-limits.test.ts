import { describe, expect, it } from 'vitest';
import { audioRtpParameters, enterCall, produce } from '../support/media-fixtures.ts';
import { useTestServer, watchMediasoup } from '../support/test-server.ts';

// The defaults: 4 transports, 4 producers, 150 consumers per device.
const fixture = useTestServer();
const { joined } = fixture;

const burst = <T>(count: number, request: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, i) => request(i)));

describe('per-device limits under concurrent requests', () => {
  it('12 concurrent createTransport create at most 4 transports', async () => {
    const seen = watchMediasoup(fixture.server);
    const alice = await joined('1');
    await alice.request('createRoom', { roomId: 'team-alpha' });
    const answers = await burst(12, () => alice.request('createTransport', { type: 'send' }));
    expect(answers.filter((a) => a.id)).toHaveLength(4);
    expect(answers.filter((a) => a.error === 'Too many transports')).toHaveLength(8);
    expect(seen.transports.filter((t) => !t.closed)).toHaveLength(4);
  });

  it('12 concurrent produce create at most 4 producers', async () => {
    const seen = watchMediasoup(fixture.server);
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const answers = await burst(12, (i) =>
      alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'audio',
        rtpParameters: { ...audioRtpParameters(), mid: String(i) },
      }),
    );
    expect(answers.filter((a) => a.id)).toHaveLength(4);
    expect(answers.filter((a) => a.error === 'Too many producers')).toHaveLength(8);
    expect(seen.producers.filter((p) => !p.closed)).toHaveLength(4);
  });

  it('a device consumes one producer once, also when it asks many times at once', async () => {
    const seen = watchMediasoup(fixture.server);
    const alice = await enterCall(await joined('1'), 'team-alpha');
    const producerId = await produce(alice, 'audio');
    const bob = await enterCall(await joined('2'), 'team-alpha');
    const consume = () =>
      bob.client.request('consume', {
        transportId: bob.recvTransportId,
        producerId,
        rtpCapabilities: bob.rtpCapabilities,
      });
    const answers = await burst(8, consume);
    expect(answers.filter((a) => a.id)).toHaveLength(1);
    expect(answers.filter((a) => a.error === 'This connection already consumes this producer')).toHaveLength(
      7,
    );
    expect(await consume()).toEqual({ error: 'This connection already consumes this producer' });
    expect(seen.consumers.filter((c) => !c.closed)).toHaveLength(1);

    // Another device of the same call still gets its own consumer.
    const carol = await enterCall(await joined('3'), 'team-alpha');
    const carolsConsumer = await carol.client.request('consume', {
      transportId: carol.recvTransportId,
      producerId,
      rtpCapabilities: carol.rtpCapabilities,
    });
    expect(carolsConsumer.id).toEqual(expect.any(String));
  });
});

import { describe, expect, it } from 'vitest';
import {
  type ClientPayloadFixture,
  loadClientPayloadFixtures,
} from '../fixtures/client-payloads/fixtures.ts';
import { enterCall, produce } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

/**
 * Every payload in the fixture folder (mediasoup-client in Chromium, Dart's
 * mediasoup_client_flutter, C++ libmediasoupclient) is produced and consumed
 * against the real server: real Socket.IO clients, real mediasoup.
 */

const fixture = useTestServer();
const fixtures = loadClientPayloadFixtures();
const roomId = 'team-alpha';

/** Produces the fixture's payload (or a plain one of each kind), then consumes it with the fixture's capabilities (or the router's). */
async function produceAndConsume(payloads: ClientPayloadFixture) {
  const sender = await enterCall(await fixture.joined('1'), roomId);
  const receiver = await enterCall(await fixture.joined('2'), roomId);
  const produced: { id: string; kind: string }[] = [];
  if (payloads.produce) {
    const ack = await sender.client.request('produce', {
      transportId: sender.sendTransportId,
      kind: payloads.produce.kind,
      rtpParameters: payloads.produce.rtpParameters,
    });
    expect(ack, 'produce answered').toEqual({ id: expect.any(String) });
    produced.push({ id: ack.id, kind: payloads.produce.kind });
  } else {
    for (const kind of ['audio', 'video'] as const) produced.push({ id: await produce(sender, kind), kind });
  }
  const rtpCapabilities = payloads.consume?.rtpCapabilities ?? receiver.rtpCapabilities;
  for (const { id, kind } of produced) {
    const ack = await receiver.client.request('consume', {
      transportId: receiver.recvTransportId,
      producerId: id,
      rtpCapabilities,
    });
    expect(ack.error, `consume ${kind} answered`).toBeUndefined();
    expect(ack).toMatchObject({ id: expect.any(String), producerId: id, kind });
    expect(ack.rtpParameters.codecs[0].mimeType).toMatch(new RegExp(`^${kind}/`, 'i'));
    expect(await receiver.client.request('resumeConsumer', { consumerId: ack.id })).toEqual({
      success: true,
    });
  }
}

describe('payloads as real client libraries produce them', () => {
  it('has fixtures from every library', () => {
    const names = fixtures.map((f) => f.name);
    for (const prefix of ['chromium-', 'dart-', 'libmediasoupclient-'])
      expect(
        names.some((name) => name.startsWith(prefix)),
        prefix,
      ).toBe(true);
    for (const f of fixtures) expect(f.source, f.name).toBeTruthy();
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s produces and consumes', async (_name, payloads) => {
    await produceAndConsume(payloads);
  });

  it("answers mediasoup's own message when the payload means something mediasoup refuses", async () => {
    const sender = await enterCall(await fixture.joined('1'), roomId);
    const ack = await sender.client.request('produce', {
      transportId: sender.sendTransportId,
      kind: 'video',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'video/AV9000', payloadType: 96, clockRate: 90000, channels: null }],
        encodings: [{ ssrc: 1234 }],
      },
    });
    expect(ack.error).toMatch(/codec/i);
    expect(ack.error).not.toMatch(/^Invalid payload/);
  });

  it('still bounds what it accepts', async () => {
    const sender = await enterCall(await fixture.joined('1'), roomId);
    const tooMany = Array.from({ length: 17 }, (_, i) => ({
      mimeType: 'video/VP8',
      payloadType: 96 + i,
      clockRate: 90000,
    }));
    const ack = await sender.client.request('produce', {
      transportId: sender.sendTransportId,
      kind: 'video',
      rtpParameters: { codecs: tooMany, encodings: [{ ssrc: 1 }] },
    });
    expect(ack.error).toMatch(/^Invalid payload: rtpParameters\.codecs/);
    const nested = await sender.client.request('produce', {
      transportId: sender.sendTransportId,
      kind: 'video',
      rtpParameters: {
        codecs: [
          { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: { deep: { deeper: 1 } } },
        ],
      },
    });
    expect(nested.error).toMatch(/^Invalid payload: rtpParameters\.codecs\.0\.parameters/);
  });
});

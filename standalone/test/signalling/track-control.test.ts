import { describe, expect, it } from 'vitest';
import {
  audioRtpParameters,
  consume,
  enterCall,
  type InCall,
  produce,
  videoRtpParameters,
} from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

const fixture = useTestServer();
const { joined } = fixture;
const roomId = 'team-alpha';

let nextMid = 10;

/** A produce with `appData.source`; each track on its own MID, as a browser sends them. */
async function produceFrom(call: InCall, kind: 'audio' | 'video', source: string | null) {
  const rtpParameters = kind === 'audio' ? audioRtpParameters() : videoRtpParameters();
  return call.client.request('produce', {
    transportId: call.sendTransportId,
    kind,
    rtpParameters: { ...rtpParameters, mid: String(nextMid++) },
    appData: { source, somethingElse: 1 },
  });
}

async function aliceAndBob() {
  const alice = await enterCall(await joined('1'), roomId);
  const bob = await enterCall(await joined('2'), roomId);
  return { alice, bob };
}

describe('track control', () => {
  it('pauses and resumes a producer: the others hear producerPaused / producerResumed, getProducers shows it', async () => {
    const { alice, bob } = await aliceAndBob();
    const producerId = await produce(alice, 'audio');
    expect(await bob.client.waitFor('newProducer')).toMatchObject({ producerId, paused: false });

    expect(await alice.client.request('pauseProducer', { producerId })).toEqual({ success: true });
    expect(await bob.client.waitFor('producerPaused')).toEqual({ producerId, socketId: alice.client.id });
    expect((await bob.client.request('getProducers')).producers).toEqual([
      expect.objectContaining({ id: producerId, paused: true }),
    ]);
    expect(fixture.server.rooms.get(roomId)?.findProducer(producerId)?.producer.paused).toBe(true);

    expect(await alice.client.request('resumeProducer', { producerId })).toEqual({ success: true });
    expect(await bob.client.waitFor('producerResumed')).toEqual({ producerId, socketId: alice.client.id });
    expect((await bob.client.request('getProducers')).producers[0].paused).toBe(false);
    // The owner is not told about its own producer.
    await alice.client.settle();
    expect(alice.client.received('producerPaused')).toEqual([]);
  });

  it('pausing twice tells the others once', async () => {
    const { alice, bob } = await aliceAndBob();
    const producerId = await produce(alice, 'video');
    await alice.client.request('pauseProducer', { producerId });
    expect(await alice.client.request('pauseProducer', { producerId })).toEqual({ success: true });
    await bob.client.waitFor('producerPaused');
    await bob.client.settle();
    expect(bob.client.received('producerPaused')).toHaveLength(1);
  });

  it('closes a producer: the others get producerClosed and their consumer is closed', async () => {
    const { alice, bob } = await aliceAndBob();
    const producerId = await produce(alice, 'video');
    const consumer = await consume(bob, producerId);
    expect(await alice.client.request('closeProducer', { producerId })).toEqual({ success: true });
    expect(await bob.client.waitFor('producerClosed')).toEqual({ producerId, socketId: alice.client.id });
    expect(await bob.client.waitFor('consumerClosed')).toEqual({ consumerId: consumer.id, producerId });
    expect((await bob.client.request('getProducers')).producers).toEqual([]);
  });

  it("refuses another device's producer with a clear error and changes nothing", async () => {
    const { alice, bob } = await aliceAndBob();
    const producerId = await produce(alice, 'audio');
    for (const event of ['pauseProducer', 'resumeProducer', 'closeProducer']) {
      expect(await bob.client.request(event, { producerId })).toEqual({
        error: 'You can only control your own producers',
      });
    }
    expect(fixture.server.rooms.get(roomId)?.findProducer(producerId)?.producer.paused).toBe(false);
    expect(await alice.client.request('pauseProducer', { producerId: 'nope' })).toEqual({
      error: 'Producer not found',
    });
    expect((await alice.client.request('closeProducer', {})).error).toMatch(/^Invalid payload: producerId/);
  });

  it('answers outside a call with the seed error', async () => {
    const alice = await joined('1');
    expect(await alice.request('pauseProducer', { producerId: 'x' })).toEqual({
      error: 'Participant not found',
    });
  });
});

describe('sources', () => {
  it('labels producers with their source on newProducer and getProducers', async () => {
    const { alice, bob } = await aliceAndBob();
    const { id } = await produceFrom(alice, 'video', 'screen');
    expect(await bob.client.waitFor('newProducer')).toEqual({
      producerId: id,
      kind: 'video',
      socketId: alice.client.id,
      participantInfo: expect.objectContaining({ userId: '1' }),
      paused: false,
      source: 'screen',
    });
    expect((await bob.client.request('getProducers')).producers[0]).toMatchObject({ id, source: 'screen' });
  });

  it('allows one producer per source per device, and the source again once it is closed', async () => {
    const { alice, bob } = await aliceAndBob();
    const camera = await produceFrom(alice, 'video', 'camera');
    expect(await produceFrom(alice, 'video', 'camera')).toEqual({
      error: 'This device already sends a track from this source',
    });
    // Another source of the same kind, and another device with the same source, are fine.
    expect((await produceFrom(alice, 'video', 'screen')).id).toBeDefined();
    expect((await produceFrom(bob, 'video', 'camera')).id).toBeDefined();
    await alice.client.request('closeProducer', { producerId: camera.id });
    expect((await produceFrom(alice, 'video', 'camera')).id).toBeDefined();
  });

  it('refuses a source of the other kind and unknown sources; null or no appData is unlabelled', async () => {
    const { alice, bob } = await aliceAndBob();
    expect(await produceFrom(alice, 'audio', 'camera')).toEqual({
      error: 'This source does not carry this kind of track',
    });
    expect((await produceFrom(alice, 'audio', 'radio')).error).toMatch(/^Invalid payload: appData.source/);
    const unlabelled = await produceFrom(alice, 'audio', null);
    const announced = await bob.client.waitFor('newProducer', (p) => p.producerId === unlabelled.id);
    expect(announced).not.toHaveProperty('source');
    expect((await produceFrom(alice, 'audio', null)).id).toBeDefined();
  });
});

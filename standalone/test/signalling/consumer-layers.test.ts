import { describe, expect, it } from 'vitest';
import { consume, enterCall, produceSimulcast } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

/**
 * Layer control on a receiver's own consumers (additive): the preferred
 * simulcast layer, pausing a tile that is off screen, and its priority.
 * What the server did is read from mediasoup's own consumer.
 */

const fixture = useTestServer();
const { joined } = fixture;
const roomId = 'team-alpha';

type Participant = NonNullable<ReturnType<typeof fixture.server.rooms.get>>['participants'][number];

async function aliceSendsBobReceives() {
  const alice = await enterCall(await joined('1'), roomId);
  const bob = await enterCall(await joined('2'), roomId);
  const producerId = await produceSimulcast(alice);
  const consumer = await consume(bob, producerId);
  if (!consumer.id) throw new Error(consumer.error);
  return { alice, bob, consumerId: consumer.id as string };
}

/** mediasoup's consumer behind a consumer id, wherever in the room it is. */
function serverConsumer(consumerId: string) {
  const room = fixture.server.rooms.get(roomId);
  for (const participant of room?.participants ?? []) {
    const consumer = participant.ownsConsumer(consumerId);
    if (consumer) return consumer;
  }
  throw new Error(`no consumer ${consumerId}`);
}

describe('consumer layers', () => {
  it('a simulcast consumer takes the preferred spatial (and temporal) layer asked for', async () => {
    const { bob, consumerId } = await aliceSendsBobReceives();
    expect(serverConsumer(consumerId).type).toBe('simulcast');
    expect(
      await bob.client.request('setConsumerPreferredLayers', {
        consumerId,
        spatialLayer: 0,
        temporalLayer: 1,
      }),
    ).toEqual({ success: true });
    expect(serverConsumer(consumerId).preferredLayers).toEqual({ spatialLayer: 0, temporalLayer: 1 });
    // Without a temporal layer (absent or null), the highest one of that spatial layer.
    await bob.client.request('setConsumerPreferredLayers', {
      consumerId,
      spatialLayer: 1,
      temporalLayer: null,
    });
    expect(serverConsumer(consumerId).preferredLayers).toEqual({ spatialLayer: 1, temporalLayer: 2 });
  });

  it('pauses and resumes a consumer of its own, and sets its priority', async () => {
    const { bob, consumerId } = await aliceSendsBobReceives();
    await bob.client.request('resumeConsumer', { consumerId });
    expect(serverConsumer(consumerId).paused).toBe(false);
    expect(await bob.client.request('pauseConsumer', { consumerId })).toEqual({ success: true });
    expect(serverConsumer(consumerId).paused).toBe(true);
    expect(await bob.client.request('resumeConsumer', { consumerId })).toEqual({ success: true });
    expect(serverConsumer(consumerId).paused).toBe(false);

    expect(await bob.client.request('setConsumerPriority', { consumerId, priority: 200 })).toEqual({
      success: true,
    });
    expect(serverConsumer(consumerId).priority).toBe(200);
  });

  it("refuses another device's consumer, unknown ids and out-of-range values, changing nothing", async () => {
    const { alice, bob, consumerId } = await aliceSendsBobReceives();
    for (const [event, extra] of [
      ['setConsumerPreferredLayers', { spatialLayer: 0 }],
      ['pauseConsumer', {}],
      ['setConsumerPriority', { priority: 5 }],
    ] as const) {
      expect(await alice.client.request(event, { consumerId, ...extra })).toEqual({
        error: 'Consumer not found',
      });
    }
    expect(serverConsumer(consumerId).preferredLayers).toEqual({ spatialLayer: 2, temporalLayer: 2 });
    expect(serverConsumer(consumerId).priority).toBe(1);

    for (const bad of [
      { consumerId, spatialLayer: -1 },
      { consumerId, spatialLayer: 1.5 },
      { consumerId, spatialLayer: 99 },
      { consumerId, spatialLayer: 0, temporalLayer: 'high' },
      { consumerId },
    ]) {
      expect((await bob.client.request('setConsumerPreferredLayers', bad)).error).toMatch(
        /^Invalid payload: (spatialLayer|temporalLayer)/,
      );
    }
    for (const priority of [0, 256, 'top', null]) {
      expect((await bob.client.request('setConsumerPriority', { consumerId, priority })).error).toMatch(
        /^Invalid payload: priority/,
      );
    }
    expect(await bob.client.request('pauseConsumer', { consumerId: 'nope' })).toEqual({
      error: 'Consumer not found',
    });
    // Unknown keys are ignored.
    expect(
      await bob.client.request('setConsumerPreferredLayers', { consumerId, spatialLayer: 0, extra: true }),
    ).toEqual({ success: true });
  });

  // A request in the Worker while the sender leaves: mediasoup answers with its own
  // channel error; the receiver hears what it would have a moment later.
  it.each([
    ['resumeConsumer', (p: Participant, id: string) => p.resumeConsumer(id)],
    ['pauseConsumer', (p: Participant, id: string) => p.withOwnConsumer(id, (c) => c.pause())],
  ] as const)(
    "%s answers 'Consumer not found' when the sender leaves during the request",
    async (_, request) => {
      const { consumerId } = await aliceSendsBobReceives();
      const { producerId } = serverConsumer(consumerId);
      const room = fixture.server.rooms.get(roomId);
      const receiver = room?.participants.find((p) => p.ownsConsumer(consumerId));
      const producer = room?.participants.map((p) => p.ownsProducer(producerId)).find(Boolean);
      if (!receiver || !producer) throw new Error('call not set up');
      // The producer's close goes down the Worker's channel first, the request right after it.
      producer.close();
      await expect(request(receiver, consumerId)).rejects.toThrow(/^Consumer not found$/);
    },
  );

  it('answers outside a call with the seed error', async () => {
    const alice = await joined('1');
    expect(await alice.request('pauseConsumer', { consumerId: 'x' })).toEqual({
      error: 'Participant not found',
    });
  });
});

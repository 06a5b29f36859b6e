import { describe, expect, it } from 'vitest';
import { consume, enterCall, type InCall, produce, produceSimulcast } from '../support/media-fixtures.ts';
import type { TestClient } from '../support/test-client.ts';
import { useTestServer } from '../support/test-server.ts';

/**
 * Dynacast (additive `producerLayersWanted`): the server tells a sender the
 * highest simulcast layer of its camera that any receiver watches, so it
 * stops encoding and uploading the layers nobody shows. Raised at once,
 * lowered after SIMULCAST_UNUSED_LAYER_GRACE_SECONDS (short here).
 */

const fixture = useTestServer({ config: { unusedLayerGraceMs: 400, resumeGraceMs: 10_000 } });
const roomId = 'team-alpha';
/** A loaded machine may take a while; the event still has to come. */
const patiently = { timeout: 10_000 };

/** The layers `sender` was told to send of `producerId`, in order. */
function told(sender: TestClient, producerId: string): number[] {
  return sender
    .received('producerLayersWanted')
    .filter((wanted) => wanted.producerId === producerId)
    .map((wanted) => wanted.spatialLayer);
}

async function watching(receiver: InCall, producerId: string, spatialLayer?: number): Promise<string> {
  const { id, error } = await consume(receiver, producerId);
  if (!id) throw new Error(error);
  if (spatialLayer !== undefined) {
    await receiver.client.request('setConsumerPreferredLayers', { consumerId: id, spatialLayer });
  }
  await receiver.client.request('resumeConsumer', { consumerId: id });
  return id;
}

describe('simulcast layers nobody watches (dynacast)', () => {
  it('tells the sender the highest layer any receiver wants, as receivers come, change and pause', async () => {
    const alice = await enterCall(await fixture.joined('1'), roomId);
    const bob = await enterCall(await fixture.joined('2'), roomId);
    const carol = await enterCall(await fixture.joined('3'), roomId);
    const camera = await produceSimulcast(alice);
    const sent = () => told(alice.client, camera);

    // Nobody watches yet: only the lowest layer is wanted.
    await expect.poll(sent, patiently).toEqual([0]);
    // Bob shows it full size (no preference: the top layer).
    const bobs = await watching(bob, camera);
    await expect.poll(sent, patiently).toEqual([0, 2]);
    // His tile shrinks to a medium one.
    await bob.client.request('setConsumerPreferredLayers', { consumerId: bobs, spatialLayer: 1 });
    await expect.poll(sent, patiently).toEqual([0, 2, 1]);
    // Carol's thumbnail changes nothing: Bob still wants layer 1.
    await watching(carol, camera, 0);
    // Bob scrolls it off screen: Carol's thumbnail is all that is left.
    await bob.client.request('pauseConsumer', { consumerId: bobs });
    await expect.poll(sent, patiently).toEqual([0, 2, 1, 0]);
    await bob.client.request('resumeConsumer', { consumerId: bobs });
    await expect.poll(sent, patiently).toEqual([0, 2, 1, 0, 1]);
    // Bob leaves: his consumer closes with him.
    await bob.client.request('leaveRoom');
    await expect.poll(sent, patiently).toEqual([0, 2, 1, 0, 1, 0]);
  });

  it("a receiver that consumes at a thumbnail's layer never makes the sender send more", async () => {
    const alice = await enterCall(await fixture.joined('1'), roomId);
    const bob = await enterCall(await fixture.joined('2'), roomId);
    const camera = await produceSimulcast(alice);
    await expect.poll(() => told(alice.client, camera), patiently).toEqual([0]);

    const consumed = await bob.client.request('consume', {
      transportId: bob.recvTransportId,
      producerId: camera,
      rtpCapabilities: bob.rtpCapabilities,
      preferredLayers: { spatialLayer: 0, temporalLayer: null },
    });
    expect(consumed.id).toEqual(expect.any(String));
    expect(await bob.client.request('resumeConsumer', { consumerId: consumed.id })).toEqual({
      success: true,
    });
    // A raise goes out before the resume's answer; Alice's round trip comes after it.
    await alice.client.settle();
    expect(told(alice.client, camera)).toEqual([0]);
  });

  it('refuses preferred layers out of range at consume, and takes null as none', async () => {
    const alice = await enterCall(await fixture.joined('1'), roomId);
    const bob = await enterCall(await fixture.joined('2'), roomId);
    const camera = await produceSimulcast(alice);
    const request = {
      transportId: bob.recvTransportId,
      producerId: camera,
      rtpCapabilities: bob.rtpCapabilities,
    };
    for (const preferredLayers of [{ spatialLayer: 9 }, { spatialLayer: 'top' }, { temporalLayer: 1 }, 3]) {
      expect((await bob.client.request('consume', { ...request, preferredLayers })).error).toMatch(
        /^Invalid payload: preferredLayers/,
      );
    }
    expect((await bob.client.request('consume', { ...request, preferredLayers: null })).id).toEqual(
      expect.any(String),
    );
  });

  it('says nothing of audio or a single-layer video, nor to anyone but the sender', async () => {
    const alice = await enterCall(await fixture.joined('1'), roomId);
    const bob = await enterCall(await fixture.joined('2'), roomId);
    const mic = await produce(alice, 'audio');
    const screen = await produce(alice, 'video');
    await watching(bob, mic);
    await watching(bob, screen);
    // Produced last, so its grace ends last: by then the others' would have ended too.
    const camera = await produceSimulcast(alice);
    await expect.poll(() => told(alice.client, camera), patiently).toEqual([0]);
    expect(alice.client.received('producerLayersWanted')).toEqual([{ producerId: camera, spatialLayer: 0 }]);
    await bob.client.settle();
    expect(bob.client.received('producerLayersWanted')).toEqual([]);
  });

  it('tells a resumed connection what its sender should send now', async () => {
    const alice = await enterCall(await fixture.joined('1'), roomId);
    const bob = await enterCall(await fixture.joined('2'), roomId);
    const camera = await produceSimulcast(alice);
    await expect.poll(() => told(alice.client, camera), patiently).toEqual([0]);

    // Alice's network drops; meanwhile Bob starts watching her full size.
    const gone = alice.client.disconnected();
    alice.client.socket.io.engine.close();
    await gone;
    await watching(bob, camera);
    const back = await fixture.joined('1');
    await back.request('resume', { resumeToken: alice.resumeToken });
    await expect.poll(() => told(back, camera), patiently).toEqual([2]);
  });
});

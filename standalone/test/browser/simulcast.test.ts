import type { LocalLayerStats } from '@groupcall/client';
import { waitUntil } from '@groupcall/testing';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loopbackContext, useBrowserCall } from '../support/browser-call.ts';
import {
  joinFromPage,
  openSdkPage,
  type RemoteStats,
  type SdkEvent,
  type SdkPageWindow,
  sdkPageChromiumFlags,
  statsOf,
} from '../support/sdk-page.ts';

/**
 * Simulcast between two people in headless Chromium against real mediasoup,
 * through the client SDK: Alice's 1280×720 fake camera goes out as three
 * layers; Bob asks for the lowest and gets a stream of a fraction of the
 * top layer's bitrate, decoded at a quarter of the resolution. With nobody
 * watching the upper layers, Alice's browser stops sending them (dynacast)
 * until Bob wants them again. Bitrates are measured over a stretch of
 * decoded frames, not a fixed sleep.
 */

const conversationId = 'team-alpha';
const alice = '1';

const call = useBrowserCall({ chromiumArgs: sdkPageChromiumFlags });
let sender: Page;
let receiver: Page;

beforeAll(async () => {
  const context = await loopbackContext(call.browser);
  sender = await openSdkPage(context, call.server.url);
  receiver = await openSdkPage(context, call.server.url);
  await joinFromPage(sender, {
    userId: alice,
    conversationId,
    create: true,
    video: { width: 1280, height: 720, frameRate: 15 },
  });
  await joinFromPage(receiver, {
    userId: '2',
    conversationId,
    create: false,
    video: { width: 160, height: 120, frameRate: 10 },
  });
}, 120_000);

/** Bob's view of Alice's camera. */
async function aliceCamera(): Promise<RemoteStats> {
  const stats = await statsOf(receiver);
  const camera = stats.find((s) => s.kind === 'video' && s.participantInfo?.userId === alice);
  if (!camera) throw new Error("Bob does not receive Alice's camera");
  return camera;
}

/**
 * Waits until Alice's camera arrives at `height`, then measures it over the
 * next `frames` decoded frames: kbit/s and the decoded size.
 */
async function measureAt(height: number, frames = 45) {
  await waitUntil(async () => (await aliceCamera()).frameHeight === height, {
    description: `Alice's camera decoded ${height} px tall`,
    timeoutMs: 45_000,
    intervalMs: 250,
  });
  const start = await aliceCamera();
  const startedAt = Date.now();
  let end = start;
  await waitUntil(
    async () => {
      end = await aliceCamera();
      return end.framesDecoded - start.framesDecoded >= frames;
    },
    { description: `${frames} more frames decoded`, timeoutMs: 45_000, intervalMs: 250 },
  );
  const seconds = (Date.now() - startedAt) / 1000;
  return {
    kbps: ((end.bytesReceived - start.bytesReceived) * 8) / 1000 / seconds,
    width: end.frameWidth,
    height: end.frameHeight,
    fps: (end.framesDecoded - start.framesDecoded) / seconds,
  };
}

describe('simulcast', { timeout: 180_000 }, () => {
  it('a receiver asking for spatial layer 0 gets about a third of the top bitrate or less, at the low resolution', async () => {
    const top = await measureAt(720);
    const { producerId } = await aliceCamera();
    await receiver.evaluate(
      (id) => (globalThis as unknown as SdkPageWindow).sdk.client.setPreferredLayers(id, { spatialLayer: 0 }),
      producerId,
    );
    const low = await measureAt(180);
    console.log(
      `Alice's camera at Bob: top layer ${top.width}x${top.height} ${top.kbps.toFixed(0)} kbit/s ` +
        `${top.fps.toFixed(1)} fps; spatial layer 0 ${low.width}x${low.height} ${low.kbps.toFixed(0)} kbit/s ` +
        `${low.fps.toFixed(1)} fps`,
    );
    expect(top).toMatchObject({ width: 1280, height: 720 });
    expect(low).toMatchObject({ width: 320, height: 180 });
    expect(low.kbps).toBeLessThan(top.kbps / 3);
    expect(low.fps).toBeGreaterThan(3);

    // The SDK told Bob when the server switched to layer 0.
    const events = await receiver.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.events);
    expect(
      events
        .filter((e: SdkEvent) => e.event === 'layersChanged' && e.payload.producerId === producerId)
        .at(-1)?.payload,
    ).toMatchObject({ producerId, spatialLayer: 0 });
  });
});

/** Alice's camera layers as her browser sends them, lowest first. */
async function aliceSends(): Promise<LocalLayerStats[]> {
  const layers = await sender.evaluate(() =>
    (globalThis as unknown as SdkPageWindow).sdk.client.getSendStats(),
  );
  return layers.filter((layer) => layer.source === 'camera');
}

describe('layers nobody watches (dynacast)', { timeout: 180_000 }, () => {
  it("Alice's browser stops sending the layers Bob does not watch, and sends them again when he does", async () => {
    // Bob watches Alice as a thumbnail (the test above left him on layer 0; asked again if run alone).
    const { producerId } = await aliceCamera();
    await receiver.evaluate(
      (id) => (globalThis as unknown as SdkPageWindow).sdk.client.setPreferredLayers(id, { spatialLayer: 0 }),
      producerId,
    );
    const activeLayers = async () => (await aliceSends()).map((layer) => layer.active);
    await waitUntil(async () => (await activeLayers()).join() === 'true,false,false', {
      description: "Alice's browser sending only layer 0",
      timeoutMs: 45_000,
      intervalMs: 250,
    });
    // Over the next 30 frames of layer 0, the paused layers send nothing.
    const before = await aliceSends();
    await waitUntil(
      async () => ((await aliceSends())[0]?.framesEncoded ?? 0) >= (before[0]?.framesEncoded ?? 0) + 30,
      { description: '30 more frames of layer 0', timeoutMs: 45_000, intervalMs: 250 },
    );
    const after = await aliceSends();
    expect(after.map((layer) => layer.rid)).toEqual(['r0', 'r1', 'r2']);
    expect(after[0]?.bytesSent).toBeGreaterThan(before[0]?.bytesSent ?? 0);
    expect(after.slice(1).map((layer) => layer.bytesSent)).toEqual(
      before.slice(1).map((layer) => layer.bytesSent),
    );
    // Bob still sees her, at the thumbnail's size.
    expect(await measureAt(180, 15)).toMatchObject({ width: 320, height: 180 });

    // Bob makes her full screen: her browser sends the top layer again, and Bob decodes it.
    await receiver.evaluate(
      (id) => (globalThis as unknown as SdkPageWindow).sdk.client.setPreferredLayers(id, { spatialLayer: 2 }),
      producerId,
    );
    expect(await measureAt(720, 15)).toMatchObject({ width: 1280, height: 720 });
    expect(await activeLayers()).toEqual([true, true, true]);
  });
});

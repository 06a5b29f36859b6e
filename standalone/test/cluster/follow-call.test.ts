import { chromiumExecutable, chromiumFlags } from '@groupcall/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackContext } from '../support/browser-call.ts';
import {
  joinFromPage,
  openSdkPage,
  type SdkEvent,
  type SdkPageWindow,
  sdkPageChromiumFlags,
  statsOf,
} from '../support/sdk-page.ts';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, startCluster } from './support/cluster.ts';

/**
 * A rollout longer than the drain deadline, with real pod processes and the
 * SDK in headless Chromium: Alice and Bob are in a call on pod A; pod A gets
 * SIGTERM with a 2 s drain deadline while pod B is ready. At the deadline
 * the call is handed over, not ended: the SDK asks the control plane where
 * the call lives now, connects to pod B (a fresh socket, a fresh ticket),
 * rejoins the same call (same callId) and decodes Bob's video again; pod A
 * forwards the old media meanwhile, and the SDK shows it until Bob's new
 * track comes. The media gap — Alice's last decoded frame from Bob on pod A to her first one
 * on pod B — is written to the test's output. A handed-over call that
 * nobody enters again ends one ring timeout (30 s here) later.
 */

const conversationId = 'team-alpha';
const video = { width: 320, height: 240, frameRate: 15 };

let cluster: Cluster;
let browser: Browser;

beforeAll(async () => {
  // Pod B starts only once the call is placed, so the call surely starts on pod A.
  cluster = await startCluster({ pods: ['sfu-a'], podEnv: { DRAIN_DEADLINE_SECONDS: '2' } });
  browser = await chromium.launch({
    executablePath: chromiumExecutable,
    headless: true,
    args: [...chromiumFlags, ...sdkPageChromiumFlags],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

function sdkOf(page: Page) {
  return {
    events: (event: string): Promise<SdkEvent[]> =>
      page.evaluate(
        (name) => (globalThis as unknown as SdkPageWindow).sdk.events.filter((e) => e.event === name),
        event,
      ),
    state: () => page.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.client.state),
    frameTimes: () => page.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.frameTimes),
    errors: () => page.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.errors),
  };
}

/** Frames decoded so far from each remote video track the page receives now. */
async function framesByProducer(page: Page): Promise<Map<string, number>> {
  const stats = await statsOf(page);
  return new Map(stats.filter((s) => s.kind === 'video').map((s) => [s.producerId, s.framesDecoded]));
}

async function callIdNow(): Promise<string> {
  const status = await cluster.api('1', 'GET', `/v1/calls/${conversationId}`);
  expect(status.status).toBe(200);
  expect(status.body.active).toBe(true);
  return status.body.callId;
}

describe('a call whose pod drains past its deadline', () => {
  it('goes on on another pod for the SDK participant, with the media gap measured', {
    timeout: 120_000,
  }, async () => {
    const context = await loopbackContext(browser);
    const alice = await openSdkPage(context, cluster.controlPlaneUrl);
    const bob = await openSdkPage(context, cluster.controlPlaneUrl);
    await joinFromPage(alice, {
      userId: '1',
      conversationId,
      create: true,
      video,
      token: await cluster.token('1'),
    });
    await joinFromPage(bob, {
      userId: '2',
      conversationId,
      create: false,
      video,
      token: await cluster.token('2'),
    });
    await alice.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.watchFrames());
    const onPodA = await callIdNow();
    await expect
      .poll(async () => [...(await framesByProducer(alice)).values()].some((frames) => frames > 10), {
        timeout: 30_000,
      })
      .toBe(true);
    const bobsVideoOnA = [...(await framesByProducer(alice)).keys()];

    const podA = cluster.pods.get('sfu-a');
    if (!podA) throw new Error('no pod A');
    const podB = await cluster.startPod('sfu-b');
    podA.process.signal('SIGTERM');

    // Alice's SDK follows the call to pod B and tells the app.
    const aliceSdk = sdkOf(alice);
    await expect.poll(async () => (await aliceSdk.events('callMoved')).length, { timeout: 30_000 }).toBe(1);
    const [moved] = await aliceSdk.events('callMoved');
    expect(moved?.payload).toEqual({
      conversationId,
      reason: 'server-shutdown',
      endpoint: { url: podB.url, path: podB.path },
    });

    // She decodes Bob's video again, from his new producer on pod B.
    const decodingOnB = async () =>
      [...(await framesByProducer(alice)).entries()].some(
        ([producerId, frames]) => !bobsVideoOnA.includes(producerId) && frames > 10,
      );
    await expect.poll(decodingOnB, { timeout: 30_000 }).toBe(true);
    expect(await aliceSdk.state()).toBe('in-call');
    // The same call, now hosted on pod B; pod A finished its drain.
    expect(await callIdNow()).toBe(onPodA);
    expect((await cluster.api('1', 'POST', `/v1/calls/${conversationId}/join`)).body.endpoint.path).toBe(
      podB.path,
    );
    expect(await podA.process.exit()).toEqual({ code: 0, signal: null });
    cluster.pods.delete('sfu-a');

    const times = await aliceSdk.frameTimes();
    const lastOnA = Math.max(...bobsVideoOnA.map((producerId) => times[producerId]?.last ?? Number.NaN));
    const firstOnB = Math.min(
      ...Object.entries(times)
        .filter(([producerId]) => !bobsVideoOnA.includes(producerId))
        .map(([, t]) => t.first),
    );
    const gapMs = firstOnB - lastOnA;
    console.log(
      `follow-call: media gap on the move from pod A to pod B: ${gapMs} ms ` +
        '(last frame of Bob from pod A to first from pod B, sampled every 100 ms; negative: they overlapped)',
    );
    expect(Number.isFinite(gapMs)).toBe(true);
    // The old media was kept until the new flowed: Bob's tile from pod A went only after his track from pod B came.
    const seen = [...(await aliceSdk.events('trackAdded')), ...(await aliceSdk.events('participantLeft'))];
    const bobsNewVideo = seen.find(
      (e) =>
        e.event === 'trackAdded' &&
        e.payload.kind === 'video' &&
        !bobsVideoOnA.includes(e.payload.producerId),
    );
    const bobsOldSocket = seen.find(
      (e) => e.event === 'trackAdded' && bobsVideoOnA.includes(e.payload.producerId),
    )?.payload.socketId;
    const bobLeftA = seen.find((e) => e.event === 'participantLeft' && e.payload.socketId === bobsOldSocket);
    expect(bobsNewVideo).toBeDefined();
    expect(bobLeftA).toBeDefined();
    expect(bobLeftA?.at).toBeGreaterThanOrEqual(bobsNewVideo?.at ?? Number.POSITIVE_INFINITY);
    expect(await aliceSdk.errors()).toEqual([]);
    await context.close();
  });

  it('ends a handed-over call that nobody enters again, one ring timeout later', {
    timeout: 120_000,
  }, async () => {
    // The previous call is over once its devices are gone (resume grace, then the empty room).
    await expect
      .poll(async () => (await cluster.api('1', 'GET', `/v1/calls/${conversationId}`)).body.active, {
        timeout: 30_000,
      })
      .toBe(false);
    const started = await cluster.api('1', 'POST', '/v1/calls', { conversationId, callType: 'audio' });
    expect(started.status).toBe(201);
    const draining = cluster.pods.get(started.body.endpoint.path.split('/')[2]);
    if (!draining) throw new Error('the call is on no known pod');
    const other = await cluster.startPod('sfu-c');
    const alice = await TestClient.joined(draining.url, '1', {
      path: draining.path,
      token: await cluster.token('1'),
    });
    // Bob is idle on another pod: he hears when the call ends.
    const bob = await TestClient.joined(other.url, '2', {
      path: other.path,
      token: await cluster.token('2'),
    });
    try {
      expect(
        (await alice.request('createRoom', { roomId: conversationId, ticket: started.body.ticket }))
          .rtpCapabilities,
      ).toBeDefined();

      draining.process.signal('SIGTERM');
      expect(await alice.waitFor('callInterrupted', () => true, 30_000)).toEqual({
        conversationId,
        reason: 'server-shutdown',
      });
      expect(await draining.process.exit()).toEqual({ code: 0, signal: null });
      cluster.pods.delete(draining.name);
      // Not ended at the deadline: the call waits for its devices on another pod…
      expect(await callIdNow()).toBe(started.body.callId);
      expect(bob.received('group_call_ended')).toEqual([]);
      // …and, with nobody back, ends when the ring timeout has passed.
      expect(await bob.waitFor('group_call_ended', () => true, 60_000)).toMatchObject({
        conversationId,
        callId: started.body.callId,
      });
      expect((await cluster.api('1', 'GET', `/v1/calls/${conversationId}`)).body.active).toBe(false);
    } finally {
      alice.close();
      bob.close();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { spatialLayerForTileHeight } from '@groupcall/client';
import { makeTempDir, type TempDir, waitUntil } from '@groupcall/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoReceiveStats,
  openDemoAs,
  type ReceivedMedia,
  receivedByUser,
  useBrowserCall,
} from '../support/browser-call.ts';

/**
 * Mute, camera off, screen share and the active speaker between three people
 * on the demo page, driven through the SDK the page exposes, in headless
 * Chromium against real mediasoup. Every microphone plays the same spoken
 * WAV (espeak-ng, made here), so only an unmuted one can be the speaker.
 * Media is asserted on inbound RTP counters; time is measured with another
 * stream's progress, never with sleeps.
 */

const users = { alice: '1', bob: '2', carol: '3' } as const;
const conversationId = 'team-alpha';

interface RecordedEvent {
  event: string;
  at: number;
  // biome-ignore lint/suspicious/noExplicitAny: payloads are asserted by the tests
  payload: any;
}
interface SdkClient {
  on(event: string, listener: (payload: unknown) => void): void;
  setMicrophoneEnabled(enabled: boolean): Promise<void>;
  setCameraEnabled(enabled: boolean): Promise<void>;
  shareScreen(track?: unknown): Promise<unknown>;
  stopScreenShare(): Promise<void>;
}
/** The page's canvas as far as the screen-share test draws on it (no DOM types in this project). */
interface PageCanvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void } | null;
  captureStream(fps: number): { getVideoTracks(): unknown[] };
}
interface TestWindow {
  document: { createElement(tag: 'canvas'): PageCanvas };
  groupCallDemo: { client: SdkClient };
  recorded: RecordedEvent[];
}

const pages = {} as Record<keyof typeof users, Page>;

/** A spoken sentence as WAV, so Chromium's fake microphone carries speech rather than a beep. */
function speechWav(): TempDir & { wav: string } {
  const dir = makeTempDir('speech');
  const wav = join(dir.path, 'speech.wav');
  const sentence = 'Hello everyone, can you all hear me? This is a test of the group call. '.repeat(6);
  execFileSync('espeak-ng', ['-w', wav, sentence]);
  return { ...dir, wav };
}

// Made before Chromium starts, removed after it stopped (hooks run in reverse order after the tests).
const speech = speechWav();
afterAll(() => speech.remove());
const call = useBrowserCall({ chromiumArgs: [`--use-file-for-fake-audio-capture=${speech.wav}`] });

async function openAs(userId: string): Promise<Page> {
  const page = await openDemoAs(call, userId);
  await page.waitForFunction(() => (globalThis as unknown as TestWindow).groupCallDemo !== undefined);
  // Every SDK event with the page's clock, the tracks themselves left out.
  await page.evaluate(() => {
    const w = globalThis as unknown as TestWindow;
    w.recorded = [];
    for (const event of ['trackAdded', 'trackRemoved', 'trackPaused', 'trackResumed', 'activeSpeaker']) {
      w.groupCallDemo.client.on(event, (payload) => {
        const { track: _track, ...rest } = payload as Record<string, unknown>;
        w.recorded.push({ event, at: Date.now(), payload: rest });
      });
    }
  });
  return page;
}

/** Resolves with the first recorded SDK event on `page` that matches. */
async function waitForEvent(
  page: Page,
  event: string,
  match: (payload: RecordedEvent['payload']) => boolean = () => true,
): Promise<RecordedEvent> {
  let found: RecordedEvent | undefined;
  await expect
    .poll(
      async () => {
        const recorded = await page.evaluate(() => (globalThis as unknown as TestWindow).recorded);
        found = recorded.find((r) => r.event === event && match(r.payload));
        return found !== undefined;
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(true);
  return found as RecordedEvent;
}

/** Received from `userId`: audio bytes and decoded video frames of its mic/camera. */
async function receivedFrom(page: Page, userId: string): Promise<ReceivedMedia> {
  return receivedByUser(await demoReceiveStats(page))[userId] ?? { frames: 0, audioBytes: 0 };
}

type Counter = 'audioBytes' | 'frames';

/** Waits until `counter` from `userId` grows by more than `by` (also usable in beforeAll). */
async function expectGrowth(page: Page, userId: string, counter: Counter, by: number): Promise<void> {
  const start = (await receivedFrom(page, userId))[counter];
  await waitUntil(async () => (await receivedFrom(page, userId))[counter] - start > by, {
    description: `${counter} from user ${userId} grow by more than ${by}`,
    timeoutMs: 30_000,
    intervalMs: 200,
  });
}

/**
 * `stopped` from `userId` no longer grows while `clock` (the other kind of
 * track) keeps flowing: packets in flight when it paused are let through
 * first, then a stretch of `clock` progress must pass with no growth.
 */
async function expectStopped(
  page: Page,
  userId: string,
  stopped: Counter,
  clock: Counter,
  clockUnits: number,
) {
  await expectGrowth(page, userId, clock, clockUnits);
  const before = (await receivedFrom(page, userId))[stopped];
  await expectGrowth(page, userId, clock, clockUnits);
  expect((await receivedFrom(page, userId))[stopped]).toBe(before);
}

beforeAll(async () => {
  pages.alice = await openAs(users.alice);
  pages.bob = await openAs(users.bob);
  pages.carol = await openAs(users.carol);
  await pages.alice
    .locator(
      `[data-testid=conversation][data-conversation-id="${conversationId}"] [data-testid=start-video-call]`,
    )
    .click();
  for (const page of [pages.bob, pages.carol]) await page.getByTestId('accept-call').click();
  for (const [page, others] of [
    [pages.alice, [users.bob, users.carol]],
    [pages.bob, [users.alice, users.carol]],
    [pages.carol, [users.alice, users.bob]],
  ] as const) {
    for (const userId of others) {
      await expectGrowth(page, userId, 'frames', 10);
      await expectGrowth(page, userId, 'audioBytes', 1000);
    }
  }
}, 180_000);

function bobsView() {
  return demoReceiveStats(pages.bob);
}

/** Whether `userId`'s camera tile on the demo page shows the muted icon. */
function mutedIconShown(page: Page, userId: string): Promise<boolean> {
  return page
    .locator(`[data-testid=tile][data-source=camera][data-user-id="${userId}"] [data-testid=muted-icon]`)
    .isVisible();
}

async function setMicrophone(page: Page, enabled: boolean): Promise<void> {
  await page.evaluate(
    (on) => (globalThis as unknown as TestWindow).groupCallDemo.client.setMicrophoneEnabled(on),
    enabled,
  );
}

/** The page's clock now (recorded events carry it). */
function pageClock(page: Page): Promise<number> {
  return page.evaluate(() => Date.now());
}

function speakerEvents(page: Page): Promise<RecordedEvent[]> {
  return page.evaluate(() =>
    (globalThis as unknown as TestWindow).recorded.filter((r) => r.event === 'activeSpeaker'),
  );
}

/** The socket id `page` knows `userId`'s device by (from its tracks). */
async function socketIdOf(page: Page, userId: string): Promise<string> {
  const added = await waitForEvent(page, 'trackAdded', (p) => p.participantInfo?.userId === userId);
  return added.payload.socketId as string;
}

/** The producer id of `userId`'s track of `kind` as received by `page`. */
async function producerIdOf(page: Page, userId: string, kind: 'audio' | 'video', source: string) {
  const added = await waitForEvent(
    page,
    'trackAdded',
    (p) => p.participantInfo?.userId === userId && p.kind === kind && p.source === source,
  );
  return added.payload.producerId as string;
}

// Three Chromium tabs on a shared 2-core machine: each step gets more than the default 30 s.
describe('track control in a three-party call', { timeout: 90_000 }, () => {
  it('mute stops the audio for the others and tells them; unmute restores both', async () => {
    const micId = await producerIdOf(pages.bob, users.alice, 'audio', 'mic');
    const mutedAt = await pages.alice.evaluate(async () => {
      const at = Date.now();
      await (globalThis as unknown as TestWindow).groupCallDemo.client.setMicrophoneEnabled(false);
      return at;
    });
    for (const [name, page] of [
      ['bob', pages.bob],
      ['carol', pages.carol],
    ] as const) {
      const paused = await waitForEvent(page, 'trackPaused', (p) => p.producerId === micId);
      const latency = paused.at - mutedAt;
      console.log(
        `producerPaused reached ${name} ${latency} ms after Alice muted (the issue asks for 500 ms)`,
      );
      expect(latency).toBeLessThan(3000);
      // The demo page shows it on Alice's tile.
      await expect.poll(() => mutedIconShown(page, users.alice)).toBe(true);
      await expectStopped(page, users.alice, 'audioBytes', 'frames', 30);
    }

    await pages.alice.evaluate(() =>
      (globalThis as unknown as TestWindow).groupCallDemo.client.setMicrophoneEnabled(true),
    );
    for (const page of [pages.bob, pages.carol]) {
      await waitForEvent(page, 'trackResumed', (p) => p.producerId === micId);
      await expect.poll(() => mutedIconShown(page, users.alice)).toBe(false);
      await expectGrowth(page, users.alice, 'audioBytes', 1000);
    }
  });

  it('camera off stops the video for the others and tells them; camera on restores both', async () => {
    const cameraId = await producerIdOf(pages.carol, users.bob, 'video', 'camera');
    const offAt = await pages.bob.evaluate(async () => {
      const at = Date.now();
      await (globalThis as unknown as TestWindow).groupCallDemo.client.setCameraEnabled(false);
      return at;
    });
    for (const [name, page] of [
      ['alice', pages.alice],
      ['carol', pages.carol],
    ] as const) {
      const paused = await waitForEvent(page, 'trackPaused', (p) => p.producerId === cameraId);
      console.log(`producerPaused (camera) reached ${name} ${paused.at - offAt} ms after Bob turned it off`);
      expect(paused.at - offAt).toBeLessThan(3000);
      await expectStopped(page, users.bob, 'frames', 'audioBytes', 4000);
    }
    await pages.bob.evaluate(() =>
      (globalThis as unknown as TestWindow).groupCallDemo.client.setCameraEnabled(true),
    );
    for (const page of [pages.alice, pages.carol]) {
      await waitForEvent(page, 'trackResumed', (p) => p.producerId === cameraId);
      await expectGrowth(page, users.bob, 'frames', 10);
    }
  });

  it("a screen share reaches the others as its own track with source 'screen' and the sharer's name, and goes on stop", async () => {
    await pages.carol.evaluate(async () => {
      const canvas = (globalThis as unknown as TestWindow).document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const context = canvas.getContext('2d');
      let frame = 0;
      // A moving picture, so the encoder keeps sending frames.
      setInterval(() => {
        if (!context) return;
        context.fillStyle = `hsl(${frame++ % 360} 80% 50%)`;
        context.fillRect(0, 0, canvas.width, canvas.height);
      }, 50);
      const [track] = canvas.captureStream(20).getVideoTracks();
      await (globalThis as unknown as TestWindow).groupCallDemo.client.shareScreen(track);
    });
    const shares: string[] = [];
    for (const page of [pages.alice, pages.bob]) {
      const added = await waitForEvent(page, 'trackAdded', (p) => p.source === 'screen');
      expect(added.payload).toMatchObject({
        kind: 'video',
        source: 'screen',
        paused: false,
        participantInfo: { userId: users.carol, name: 'Carol' },
      });
      shares.push(added.payload.producerId);
      // Its own tile on the demo page, named after the sharer.
      await expect
        .poll(() =>
          page.locator('[data-testid=tile][data-source=screen] [data-testid=tile-name]').allTextContents(),
        )
        .toEqual(["Carol's screen"]);
      await expect
        .poll(
          async () =>
            (await demoReceiveStats(page)).find((s) => s.producerId === added.payload.producerId)
              ?.framesDecoded ?? 0,
          { timeout: 30_000, interval: 200 },
        )
        .toBeGreaterThan(10);
    }
    await pages.carol.evaluate(() =>
      (globalThis as unknown as TestWindow).groupCallDemo.client.stopScreenShare(),
    );
    for (const [index, page] of [pages.alice, pages.bob].entries()) {
      await waitForEvent(page, 'trackRemoved', (p) => p.producerId === shares[index]);
      await expect.poll(() => page.locator('[data-testid=tile][data-source=screen]').count()).toBe(0);
    }
    // Her camera goes on.
    await expectGrowth(pages.alice, users.carol, 'frames', 10);
  });

  it('camera tiles ask for the layer their size needs', async () => {
    const aliceOnBob = pages.bob.locator(
      `[data-testid=tile][data-source=camera][data-user-id="${users.alice}"] video`,
    );
    const tileHeight = await aliceOnBob.evaluate((video) =>
      Math.round(
        video.getBoundingClientRect().height *
          (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio,
      ),
    );
    const expected = spatialLayerForTileHeight(tileHeight);
    await expect
      .poll(() => aliceOnBob.getAttribute('data-requested-layer'), { timeout: 20_000 })
      .toBe(String(expected));
    const camera = (await bobsView()).find(
      (s) => s.kind === 'video' && s.participantInfo?.userId === users.alice,
    );
    console.log(
      `Bob's ${tileHeight} px tile of Alice's camera asked for layer ${expected}, receives ${camera?.frameWidth}x${camera?.frameHeight}`,
    );
  });

  it('with only one microphone unmuted, activeSpeaker names that participant', async () => {
    // Every microphone plays the same speech, so only muting decides who can be named. Carol
    // (last to join) speaks first, then Bob: the second step needs a new activeSpeaker event.
    for (const [speaker, silent] of [
      ['carol', ['alice', 'bob']],
      ['bob', ['alice', 'carol']],
    ] as const) {
      await setMicrophone(pages[speaker], true);
      for (const name of silent) await setMicrophone(pages[name], false);
      const mutedAt = Math.max(...(await Promise.all(silent.map((name) => pageClock(pages[name])))));
      for (const listener of (['alice', 'bob', 'carol'] as const).filter((name) => name !== speaker)) {
        const page = pages[listener];
        const socketId = await socketIdOf(page, users[speaker]);
        await expect
          .poll(async () => (await speakerEvents(page)).at(-1)?.payload, { timeout: 20_000, interval: 200 })
          .toEqual({ socketId, userId: users[speaker] });
        // Nobody muted was named once the mutes took effect.
        const named = (await speakerEvents(page)).filter((e) => e.at > mutedAt).map((e) => e.payload.userId);
        expect(
          named.every((userId) => userId === users[speaker]),
          `${listener} heard ${named}`,
        ).toBe(true);
        // The demo page highlights the speaker's tile, and only that one.
        await expect
          .poll(() =>
            page
              .locator('[data-testid=tile][data-speaking=true]')
              .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-user-id'))),
          )
          .toEqual([users[speaker]]);
      }
    }
  });
});

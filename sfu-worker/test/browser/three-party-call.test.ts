import { userRoom } from '@groupcall/shared/calls';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startEmbeddedServer } from '../../src/server.ts';

/**
 * Three people in one call through the demo page and the client SDK, in
 * headless Chromium with fake camera and microphone, against the embedded
 * server with real mediasoup. Media is asserted on inbound RTP counters,
 * which only move when packets really arrive.
 */

const chromiumFlags = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Without it, where loopback is the only interface, no ICE candidates are gathered.
  '--allow-loopback-in-peer-connection',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const users = { alice: '1', bob: '2', carol: '3', dave: '4' } as const;
const conversationId = 'team-alpha';

/** What the demo page exposes on window (see demo/app.ts), as far as this test uses it. */
interface DemoWindow {
  groupCallDemo: { client: { getReceiveStats(): Promise<ReceivedTrack[]> } };
}
interface ReceivedTrack {
  kind: 'audio' | 'video';
  participantInfo?: { userId: string };
  bytesReceived: number;
  framesDecoded: number;
}

let server: RunningServer;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startEmbeddedServer({
    port: 0,
    // Loopback only, and media ports picked by the OS so parallel test files never collide.
    config: { host: '127.0.0.1', media: { numWorkers: 1, portBase: 0, listenIp: '127.0.0.1' } },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumFlags,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile on the demo page, signed in as `userId`, registered with the server. */
async function openAs(userId: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  // Tests talk to loopback only: the demo's avatar URLs are external, so refuse them (the page shows initials).
  await context.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => pageErrors.push(`user ${userId}: ${error.message}`));
  await page.goto(server.url);
  await page.locator(`[data-testid=pick-user][data-user-id="${userId}"]`).click();
  // `join` has no ack in the protocol: wait until the server has this user's socket in the user's room,
  // so the user cannot miss the call's announcements.
  await expect
    .poll(async () => (await server.io.in(userRoom(userId)).fetchSockets()).length, { timeout: 10_000 })
    .toBe(1);
  return page;
}

const banner = (page: Page) =>
  page.locator(`[data-testid=join-banner][data-conversation-id="${conversationId}"]`);
const tileOf = (page: Page, userId: string) =>
  page.locator(`[data-testid=tile]:not([data-local])[data-user-id="${userId}"]`);
const activity = (page: Page, event: string, text: string) =>
  page.locator(`[data-testid=activity] [data-event=${event}]`, { hasText: text });

/** Per remote user: video frames decoded and audio bytes received so far. */
async function receivedMedia(page: Page): Promise<Record<string, { frames: number; audioBytes: number }>> {
  const tracks = await page.evaluate(() =>
    (globalThis as unknown as DemoWindow).groupCallDemo.client.getReceiveStats(),
  );
  const media: Record<string, { frames: number; audioBytes: number }> = {};
  for (const track of tracks) {
    const userId = track.participantInfo?.userId ?? '?';
    const entry = media[userId] ?? { frames: 0, audioBytes: 0 };
    media[userId] = entry;
    if (track.kind === 'video') entry.frames += track.framesDecoded;
    else entry.audioBytes += track.bytesReceived;
  }
  return media;
}

/** Waits until `page` decodes more than 30 video frames and receives audio from each of `userIds`. */
async function expectMediaFrom(page: Page, userIds: string[]): Promise<void> {
  await expect
    .poll(() => receivedMedia(page), { timeout: 30_000, interval: 250 })
    .toSatisfy((media: Awaited<ReturnType<typeof receivedMedia>>) =>
      userIds.every((id) => (media[id]?.frames ?? 0) > 30 && (media[id]?.audioBytes ?? 0) > 0),
    );
}

async function tileNames(page: Page): Promise<string[]> {
  return (
    await page.locator('[data-testid=tile]:not([data-local]) [data-testid=tile-name]').allTextContents()
  ).sort();
}

describe('a three-party call through the demo page', () => {
  it('rings, joins late, carries audio and video both ways, and ends when the last one leaves', async () => {
    const [alice, bob, carol, dave] = await Promise.all([
      openAs(users.alice),
      openAs(users.bob),
      openAs(users.carol),
      openAs(users.dave),
    ]);

    // Alice starts a video call in Team Alpha.
    await alice
      .locator(
        `[data-testid=conversation][data-conversation-id="${conversationId}"] [data-testid=start-video-call]`,
      )
      .click();

    // Bob is rung with the caller's name and avatar and the group's name, and accepts.
    await bob.getByTestId('incoming-call').waitFor({ state: 'visible' });
    expect(await bob.getByTestId('incoming-caller-name').textContent()).toBe('Alice');
    expect(await bob.getByTestId('incoming-group-name').textContent()).toBe('Team Alpha');
    await bob.locator('[data-testid=incoming-caller-avatar] .avatar').waitFor();
    await bob.getByTestId('accept-call').click();

    // Every member who is not in the call sees the "Join call" banner, Dave included.
    await banner(dave).waitFor({ state: 'visible' });
    await banner(carol).waitFor({ state: 'visible' });

    await expectMediaFrom(alice, [users.bob]);
    await expectMediaFrom(bob, [users.alice]);

    // Carol declines the ring, then joins late from the banner.
    await carol.getByTestId('incoming-call').waitFor({ state: 'visible' });
    await carol.getByTestId('decline-call').click();
    await carol.getByTestId('incoming-call').waitFor({ state: 'hidden' });
    await banner(carol).getByTestId('join-banner-button').click();

    await Promise.all([
      expectMediaFrom(alice, [users.bob, users.carol]),
      expectMediaFrom(bob, [users.alice, users.carol]),
      // Alice and Bob were producing before Carol entered the room, so no newProducer
      // ever reached her for them: she received them through getProducers.
      expectMediaFrom(carol, [users.alice, users.bob]),
    ]);
    expect(await tileNames(alice)).toEqual(['Bob', 'Carol']);
    expect(await tileNames(bob)).toEqual(['Alice', 'Carol']);
    expect(await tileNames(carol)).toEqual(['Alice', 'Bob']);
    expect(await carol.getByTestId('call-state').textContent()).toBe('Connected');

    // Bob leaves: the others are told and drop his tile; the call goes on, so Bob sees the banner again.
    await bob.getByTestId('leave-call').click();
    for (const page of [alice, carol]) {
      await tileOf(page, users.bob).waitFor({ state: 'detached' });
      await activity(page, 'participantLeft', 'Bob left').waitFor({ state: 'attached' });
    }
    await bob.getByTestId('call-view').waitFor({ state: 'hidden' });
    await banner(bob).waitFor({ state: 'visible' });

    await alice.getByTestId('leave-call').click();
    await tileOf(carol, users.alice).waitFor({ state: 'detached' });

    // The last one out ends the call for every member: every banner goes away, Dave's too.
    await carol.getByTestId('leave-call').click();
    for (const page of [alice, bob, carol, dave]) {
      await banner(page).waitFor({ state: 'detached' });
      await activity(page, 'callEnded', conversationId).waitFor({ state: 'attached' });
    }

    for (const page of [alice, bob, carol, dave])
      expect(await page.getByTestId('error').allTextContents()).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});

describe('a call whose media worker dies', () => {
  it('is rejoined by the client SDK on its own, and media flows again', async () => {
    const [erin, frank] = await Promise.all([openAs('5'), openAs('6')]);
    await erin
      .locator('[data-testid=conversation][data-conversation-id="team-beta"] [data-testid=start-video-call]')
      .click();
    await frank.getByTestId('accept-call').click();
    await expectMediaFrom(erin, ['6']);
    await expectMediaFrom(frank, ['5']);
    // Frank has no avatar: his tile shows his initials.
    expect(await tileOf(erin, '6').locator('.avatar[data-avatar=initials]').textContent()).toBe('F');

    const dead = server.media.workers[0];
    process.kill(dead?.pid ?? 0, 'SIGKILL');

    for (const page of [erin, frank]) {
      await activity(page, 'stateChange', 'Reconnecting').waitFor({ state: 'attached' });
    }
    // New consumers count from zero: these thresholds are met by media of the rejoined call only.
    await Promise.all([expectMediaFrom(erin, ['6']), expectMediaFrom(frank, ['5'])]);
    for (const page of [erin, frank]) {
      expect(await page.getByTestId('call-state').textContent()).toBe('Connected');
      expect(await page.getByTestId('error').allTextContents()).toEqual([]);
    }

    await erin.getByTestId('leave-call').click();
    await frank.getByTestId('leave-call').click();
    for (const page of [erin, frank]) await banner(page).waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

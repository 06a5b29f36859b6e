import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  demoReceiveStats,
  hasMediaFromEach,
  openDemoAs,
  type ReceivedMedia,
  receivedByUser,
  useBrowserCall,
} from '../support/browser-call.ts';
import { registeredSockets } from '../support/registered-sockets.ts';

/**
 * Three people in one call through the demo page and the client SDK, in
 * headless Chromium with fake camera and microphone, against the embedded
 * server (the real control plane and real mediasoup). The page goes the
 * production way: a token from the login stand-in, the socket opened with
 * it, and calls started, joined, declined and looked up over /v1/calls with
 * the tickets handed to the SDK. Media is asserted on inbound RTP counters,
 * which only move when packets really arrive.
 */

const users = { alice: '1', bob: '2', carol: '3', dave: '4' } as const;
const conversationId = 'team-alpha';

const call = useBrowserCall();
const pageErrors: string[] = [];

/**
 * Waits until the server has exactly `count` sockets of the user in the user's room, none of them in
 * `gone`: the page's `join` has no ack, and a user must not miss the call's announcements.
 */
async function expectRegistered(userId: string, count: number, gone: string[] = []): Promise<void> {
  await expect
    .poll(() => registeredSockets(call.server, userId), { timeout: 10_000 })
    .toSatisfy((ids: string[]) => ids.length === count && ids.every((id) => !gone.includes(id)));
}

/** The control-plane requests a page made, as "METHOD /path". */
const apiRequests = new Map<Page, string[]>();

/**
 * The demo page in a fresh browser profile (or a new tab of `context`: another device of the same
 * user), signed in as `userId`, registered with the server as that user's `devices`-th socket.
 */
async function openAs(userId: string, options: { context?: BrowserContext; devices?: number } = {}) {
  return openDemoAs(call, userId, {
    ...options,
    watch: (page) => {
      page.on('pageerror', (error) => pageErrors.push(`user ${userId}: ${error.message}`));
      const requests: string[] = [];
      apiRequests.set(page, requests);
      page.on('request', (request) => {
        const { pathname } = new URL(request.url());
        if (pathname.startsWith('/v1/') || pathname.startsWith('/dev/'))
          requests.push(`${request.method()} ${pathname}`);
      });
    },
  });
}

const incomingCall = (page: Page) => page.getByTestId('incoming-call');
const banner = (page: Page) =>
  page.locator(`[data-testid=join-banner][data-conversation-id="${conversationId}"]`);
const tileOf = (page: Page, userId: string) =>
  page.locator(`[data-testid=tile]:not([data-local])[data-user-id="${userId}"]`);
const activity = (page: Page, event: string, text: string) =>
  page.locator(`[data-testid=activity] [data-event=${event}]`, { hasText: text });

/** Waits until `page` decodes more than 30 video frames and receives audio from each of `userIds`. */
async function expectMediaFrom(page: Page, userIds: string[]): Promise<void> {
  await expect
    .poll(async () => receivedByUser(await demoReceiveStats(page)), { timeout: 30_000, interval: 250 })
    .toSatisfy((media: Record<string, ReceivedMedia>) => hasMediaFromEach(media, userIds));
}

async function tileNames(page: Page): Promise<string[]> {
  return (
    await page.locator('[data-testid=tile]:not([data-local]) [data-testid=tile-name]').allTextContents()
  ).sort();
}

describe('a three-party call through the demo page', () => {
  it('rings every device, joins late, carries audio and video both ways, and ends when the last one leaves', async () => {
    const [alice, bob, carol, dave] = await Promise.all([
      openAs(users.alice),
      openAs(users.bob),
      openAs(users.carol),
      openAs(users.dave),
    ]);
    // Bob also has the demo open on a second device.
    const bobPhone = await openAs(users.bob, { context: bob.context(), devices: 2 });

    // Alice starts a video call in Team Alpha through the control plane.
    await alice
      .locator(
        `[data-testid=conversation][data-conversation-id="${conversationId}"] [data-testid=start-video-call]`,
      )
      .click();

    // Both of Bob's devices ring, with the caller's name and avatar and the group's name; he accepts on one.
    for (const device of [bob, bobPhone]) await incomingCall(device).waitFor({ state: 'visible' });
    expect(await bob.getByTestId('incoming-caller-name').textContent()).toBe('Alice');
    expect(await bob.getByTestId('incoming-group-name').textContent()).toBe('Team Alpha');
    await bob.locator('[data-testid=incoming-caller-avatar] .avatar').waitFor();
    await bob.getByTestId('accept-call').click();

    // The other device stops ringing: the control plane told all of Bob's devices that he answered.
    await incomingCall(bobPhone).waitFor({ state: 'hidden' });
    await activity(bobPhone, 'ringStopped', 'answered').waitFor({ state: 'attached' });

    // Every member who is not in the call sees the "Join call" banner, Dave and Bob's other device included.
    for (const page of [dave, carol, bobPhone]) await banner(page).waitFor({ state: 'visible' });

    await expectMediaFrom(alice, [users.bob]);
    await expectMediaFrom(bob, [users.alice]);

    // Carol declines the ring (the control plane confirms: her ring stopped), then joins late from the banner.
    await incomingCall(carol).waitFor({ state: 'visible' });
    await carol.getByTestId('decline-call').click();
    await incomingCall(carol).waitFor({ state: 'hidden' });
    await activity(carol, 'ringStopped', 'declined').waitFor({ state: 'attached' });
    await banner(carol).getByTestId('join-banner-button').click();

    // Meanwhile Dave reloads his page: nothing announces the call again, the control plane's status does.
    const daveSockets = await registeredSockets(call.server, users.dave);
    await dave.reload();
    await expectRegistered(users.dave, 1, daveSockets);
    await banner(dave).waitFor({ state: 'visible' });
    await activity(dave, 'callStatus', 'A call is in progress in Team Alpha').waitFor({ state: 'attached' });

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

    // Everyone went through the control plane with their own token, as a production app does.
    expect(apiRequests.get(alice)).toEqual(
      expect.arrayContaining(['POST /dev/token', 'GET /v1/calls/team-alpha', 'POST /v1/calls']),
    );
    expect(apiRequests.get(bob)).toContain('POST /v1/calls/team-alpha/join');
    expect(apiRequests.get(bobPhone)).not.toContain('POST /v1/calls/team-alpha/join');
    expect(apiRequests.get(carol)).toEqual(
      expect.arrayContaining(['POST /v1/calls/team-alpha/decline', 'POST /v1/calls/team-alpha/join']),
    );

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

    // The last one out ends the call for every member: every banner goes away, on every device.
    await carol.getByTestId('leave-call').click();
    const everyone = [alice, bob, bobPhone, carol, dave];
    for (const page of everyone) {
      await banner(page).waitFor({ state: 'detached' });
      await activity(page, 'callEnded', conversationId).waitFor({ state: 'attached' });
    }

    // Reopened afterwards, the page shows no stale banner: the control plane knows the call is over.
    await dave.reload();
    await dave.locator('[data-testid=banners][data-calls-checked]').waitFor({ state: 'attached' });
    expect(await banner(dave).count()).toBe(0);

    for (const page of everyone) expect(await page.getByTestId('error').allTextContents()).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});

describe('a call whose media worker dies', () => {
  it('is rejoined by the client SDK on its own, and media flows again', async () => {
    const [erin, frank] = await Promise.all([openAs('5'), openAs('6')]);
    const tickets = (page: Page) =>
      apiRequests.get(page)?.filter((r) => r === 'POST /v1/calls' || r === 'POST /v1/calls/team-beta/join') ??
      [];
    await erin
      .locator('[data-testid=conversation][data-conversation-id="team-beta"] [data-testid=start-video-call]')
      .click();
    await frank.getByTestId('accept-call').click();
    await expectMediaFrom(erin, ['6']);
    await expectMediaFrom(frank, ['5']);
    // Frank has no avatar: his tile shows his initials.
    expect(await tileOf(erin, '6').locator('.avatar[data-avatar=initials]').textContent()).toBe('F');

    expect(tickets(erin)).toEqual(['POST /v1/calls']);
    expect(tickets(frank)).toEqual(['POST /v1/calls/team-beta/join']);

    const dead = call.server.media.workers[0];
    process.kill(dead?.pid ?? 0, 'SIGKILL');

    for (const page of [erin, frank]) {
      await activity(page, 'stateChange', 'Reconnecting').waitFor({ state: 'attached' });
    }
    // New consumers count from zero: these thresholds are met by media of the rejoined call only.
    await Promise.all([expectMediaFrom(erin, ['6']), expectMediaFrom(frank, ['5'])]);
    for (const page of [erin, frank]) {
      // The first tickets may have expired by now: each rejoin asked the control plane for a fresh one.
      expect(tickets(page)).toContain('POST /v1/calls/team-beta/join');
      expect(tickets(page).length).toBeGreaterThan(1);
      expect(await page.getByTestId('call-state').textContent()).toBe('Connected');
      expect(await page.getByTestId('error').allTextContents()).toEqual([]);
    }

    await erin.getByTestId('leave-call').click();
    await frank.getByTestId('leave-call').click();
    for (const page of [erin, frank]) await banner(page).waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

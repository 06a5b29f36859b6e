import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  hasMediaFromEach,
  loopbackContext,
  type ReceivedMedia,
  receivedByUser,
  useBrowserCall,
} from '../support/browser-call.ts';
import { joinFromPage, openSdkPage, sdkPageChromiumFlags, statsOf } from '../support/sdk-page.ts';

/**
 * A call spread over the two mediasoup Workers of one server: at most two
 * devices per Router, so the third device's transports are on a Router of
 * the other Worker and its media crosses a pipe both ways. Three people in
 * headless Chromium through the client SDK, against real mediasoup; media is
 * asserted on decoded frames and received audio bytes, which only grow when
 * packets really arrive.
 */

const conversationId = 'team-alpha';
const users = ['1', '2', '3'];

const call = useBrowserCall({
  config: { media: { numWorkers: 2, maxParticipantsPerRouter: 2 } },
  chromiumArgs: sdkPageChromiumFlags,
});
const pages = new Map<string, Page>();

describe('a call over two Workers of one pod', () => {
  it('lets every participant decode every other', { timeout: 150_000 }, async () => {
    for (const [index, userId] of users.entries()) {
      const page = await openSdkPage(await loopbackContext(call.browser), call.server.url);
      pages.set(userId, page);
      await joinFromPage(page, {
        userId,
        conversationId,
        create: index === 0,
        video: { width: 320, height: 240, frameRate: 15 },
      });
    }

    // The call really is on two Workers: two Routers, each on its own Worker.
    const routers = call.server.rooms.get(conversationId)?.routers.all ?? [];
    expect(routers).toHaveLength(2);
    expect(new Set(routers.map((media) => media.worker.pid)).size).toBe(2);

    for (const [userId, page] of pages) {
      const others = users.filter((u) => u !== userId);
      await expect
        .poll(async () => receivedByUser(await statsOf(page)), { timeout: 60_000, interval: 500 })
        .toSatisfy((media: Record<string, ReceivedMedia>) => hasMediaFromEach(media, others));
    }
    for (const page of pages.values()) {
      expect(
        await page.evaluate(() => (globalThis as unknown as { sdk: { errors: string[] } }).sdk.errors),
      ).toEqual([]);
    }
  });
});

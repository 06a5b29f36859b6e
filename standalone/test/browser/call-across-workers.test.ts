import { describe, expect, it } from 'vitest';
import {
  hasMediaFromEach,
  type ReceivedMedia,
  receivedByUser,
  useBrowserCall,
} from '../support/browser-call.ts';
import { joinEachFromSdkPages, sdkPageChromiumFlags, statsOf } from '../support/sdk-page.ts';

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

describe('a call over two Workers of one pod', () => {
  it('lets every participant decode every other', { timeout: 150_000 }, async () => {
    const pages = await joinEachFromSdkPages(call, users, conversationId);

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

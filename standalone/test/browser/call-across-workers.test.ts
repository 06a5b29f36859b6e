import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loopbackContext, useBrowserCall } from '../support/browser-call.ts';
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

/** Per remote user: video frames decoded and audio bytes received so far. */
async function receivedFrom(page: Page): Promise<Record<string, { frames: number; audioBytes: number }>> {
  const media: Record<string, { frames: number; audioBytes: number }> = {};
  for (const track of await statsOf(page)) {
    const userId = track.participantInfo?.userId ?? '?';
    const entry = media[userId] ?? { frames: 0, audioBytes: 0 };
    media[userId] = entry;
    if (track.kind === 'video') entry.frames += track.framesDecoded;
    else entry.audioBytes += track.bytesReceived;
  }
  return media;
}

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
        .poll(() => receivedFrom(page), { timeout: 60_000, interval: 500 })
        .toSatisfy((media: Awaited<ReturnType<typeof receivedFrom>>) =>
          others.every((id) => (media[id]?.frames ?? 0) > 30 && (media[id]?.audioBytes ?? 0) > 0),
        );
    }
    for (const page of pages.values()) {
      expect(
        await page.evaluate(() => (globalThis as unknown as { sdk: { errors: string[] } }).sdk.errors),
      ).toEqual([]);
    }
  });
});

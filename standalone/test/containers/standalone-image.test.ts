import { GroupCallStandaloneContainer, type StartedGroupCallStandalone } from '@groupcall/testcontainers';
import { chromiumExecutable, chromiumFlags, freePort } from '@groupcall/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStandaloneImage } from './support/local-images.ts';

// README's quick start for macOS and Windows: the standalone image with
// `docker run -p …` on Docker's bridge network, its HTTP port and media port
// (UDP and TCP) published on the host's loopback, and two browsers on the host
// holding a call through the demo page. The container's own address is never
// announced, so media can only flow through the published ports.

const conversationId = 'team-alpha';

/** What the demo page exposes on window (standalone/demo/app.ts), as far as this test uses it. */
interface DemoWindow {
  groupCallDemo: { client: { getReceiveStats(): Promise<ReceivedTrack[]> } };
}
interface ReceivedTrack {
  kind: 'audio' | 'video';
  bytesReceived: number;
  framesDecoded: number;
}

let product: StartedGroupCallStandalone;
let browser: Browser;

beforeAll(async () => {
  product = await new GroupCallStandaloneContainer(localStandaloneImage())
    .withPorts({ signalling: await freePort(), media: await freePort() })
    .start();
  browser = await chromium.launch({
    executablePath: chromiumExecutable,
    headless: true,
    args: [...chromiumFlags],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop({ timeout: 0 });
});

/** The demo page from the container in a fresh browser profile, signed in as `userId`. */
async function openAs(userId: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  // Only the container on loopback: the demo's avatar URLs are external (the page shows initials).
  await context.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(product.url);
  await page.locator(`[data-testid=pick-user][data-user-id="${userId}"]`).click();
  return page;
}

/** Video frames decoded and audio bytes received by a page, over its remote tracks. */
async function received(page: Page): Promise<{ frames: number; audioBytes: number }> {
  const tracks = await page.evaluate(() =>
    (globalThis as unknown as DemoWindow).groupCallDemo.client.getReceiveStats(),
  );
  const sum = (kind: ReceivedTrack['kind'], field: 'bytesReceived' | 'framesDecoded') =>
    tracks.filter((t) => t.kind === kind).reduce((total, t) => total + t[field], 0);
  return { frames: sum('video', 'framesDecoded'), audioBytes: sum('audio', 'bytesReceived') };
}

describe('the standalone image, run as the quick start says', () => {
  it('listens beyond loopback inside the container and warns that it trusts join(userId)', () => {
    expect(product.output()).toContain(
      `join(userId) is trusted and this server listens on 0.0.0.0:${new URL(product.url).port}`,
    );
    expect(product.output()).toContain(`Demo page: ${product.url}/`);
  });

  it('carries a call between two browsers on the host through the published ports', async () => {
    const alice = await openAs('1');
    await alice
      .locator(
        `[data-testid=conversation][data-conversation-id="${conversationId}"] [data-testid=start-video-call]`,
      )
      .click();
    await alice.getByTestId('call-view').waitFor({ state: 'visible' });

    // Bob opens the demo once the call runs: the control plane's call status shows him the banner.
    const bob = await openAs('2');
    await bob
      .locator(
        `[data-testid=join-banner][data-conversation-id="${conversationId}"] [data-testid=join-banner-button]`,
      )
      .click();

    for (const page of [alice, bob]) {
      await expect
        .poll(() => received(page), { timeout: 45_000, interval: 250 })
        .toSatisfy(
          ({ frames, audioBytes }: { frames: number; audioBytes: number }) => frames > 10 && audioBytes > 0,
        );
    }
    await Promise.all([alice.context().close(), bob.context().close()]);
  });
});

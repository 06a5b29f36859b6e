import type { RemoteTrackStats } from '@groupcall/client';
import { chromiumExecutable, chromiumFlags, waitUntil } from '@groupcall/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type EmbeddedServerOptions, type RunningServer, startEmbeddedServer } from '../../src/server.ts';
import { registeredSockets } from './registered-sockets.ts';

/**
 * What every browser test of the embedded product starts with: the product
 * on loopback (media ports picked by the OS, so parallel test files never
 * collide) and one headless Chromium with a fake camera and microphone.
 */

export interface BrowserCallOptions {
  /** Overrides on top of the loopback configuration (e.g. a shorter sampling period). */
  config?: EmbeddedServerOptions['config'];
  /** Chromium flags besides the usual fake-media ones (e.g. a speech file for the microphone). */
  chromiumArgs?: readonly string[];
}

export interface BrowserCall {
  readonly server: RunningServer;
  readonly browser: Browser;
}

/** Starts the product and Chromium before the file's tests and stops both after them. */
export function useBrowserCall(options: BrowserCallOptions = {}): BrowserCall {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const { media, ...config } = options.config ?? {};
    server = await startEmbeddedServer({
      port: 0,
      config: {
        host: '127.0.0.1',
        ...config,
        media: { numWorkers: 1, portBase: 0, listenIp: '127.0.0.1', ...media },
      },
    });
    browser = await chromium.launch({
      executablePath: chromiumExecutable,
      headless: true,
      args: [...chromiumFlags, ...(options.chromiumArgs ?? [])],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser call starts in beforeAll');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
  };
}

/** A fresh browser profile that may use the camera and microphone, and reaches loopback only. */
export async function loopbackContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  // Tests talk to loopback only: the demo's avatar URLs are external, so refuse them (the page shows initials).
  await context.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    (route) => route.abort(),
  );
  return context;
}

export interface DemoPageOptions {
  /** Another tab of this profile (another device of the same user) rather than a fresh profile. */
  context?: BrowserContext;
  /** How many sockets of the user the server has once this page is in (this is the `devices`-th). */
  devices?: number;
  /** Called before the page loads, to listen to its requests or errors. */
  watch?: (page: Page) => void;
}

/**
 * The demo page signed in as `userId`, returned once the server has the
 * page's socket in the user's room: the page's `join` has no ack, and a
 * user rung before that would miss the call.
 */
export async function openDemoAs(
  call: BrowserCall,
  userId: string,
  options: DemoPageOptions = {},
): Promise<Page> {
  const context = options.context ?? (await loopbackContext(call.browser));
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  options.watch?.(page);
  await page.goto(call.server.url);
  await page.locator(`[data-testid=pick-user][data-user-id="${userId}"]`).click();
  const devices = options.devices ?? 1;
  await waitUntil(async () => (await registeredSockets(call.server, userId)).length === devices, {
    description: `${devices} socket(s) of user ${userId} registered with the server`,
    timeoutMs: 20_000,
    intervalMs: 100,
  });
  return page;
}

/** What the demo page exposes on window (see demo/app.ts), as far as reading its media goes. */
interface DemoWindow {
  groupCallDemo: { client: { getReceiveStats(): Promise<RemoteTrackStats[]> } };
}

/** The SDK's receive stats on a demo page: one entry per remote track. */
export function demoReceiveStats(page: Page): Promise<RemoteTrackStats[]> {
  return page.evaluate(() => (globalThis as unknown as DemoWindow).groupCallDemo.client.getReceiveStats());
}

/** What a page received so far from one remote user. */
export interface ReceivedMedia {
  /** Video frames decoded, over the user's video tracks. */
  frames: number;
  /** Audio bytes received, over the user's audio tracks. */
  audioBytes: number;
}

/** One remote track in the SDK's receive stats, as far as receivedByUser reads it. */
interface ReceivedTrack {
  kind: string;
  participantInfo?: { userId: string } | undefined;
  bytesReceived: number;
  framesDecoded: number;
}

/** Per remote user (by userId): what the SDK's receive stats say arrived so far. */
export function receivedByUser(tracks: readonly ReceivedTrack[]): Record<string, ReceivedMedia> {
  const media: Record<string, ReceivedMedia> = {};
  for (const track of tracks) {
    const userId = track.participantInfo?.userId ?? '?';
    const entry = media[userId] ?? { frames: 0, audioBytes: 0 };
    media[userId] = entry;
    if (track.kind === 'video') entry.frames += track.framesDecoded;
    else entry.audioBytes += track.bytesReceived;
  }
  return media;
}

/**
 * Whether media flows from each of `userIds`: more than 30 video frames
 * decoded (a second or two of camera, not a stray keyframe) and some audio.
 */
export function hasMediaFromEach(media: Record<string, ReceivedMedia>, userIds: readonly string[]): boolean {
  return userIds.every((id) => (media[id]?.frames ?? 0) > 30 && (media[id]?.audioBytes ?? 0) > 0);
}

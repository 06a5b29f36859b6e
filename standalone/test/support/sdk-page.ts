import path from 'node:path';
import type { LocalLayerStats } from '@groupcall/client';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { type BrowserCall, loopbackContext } from './browser-call.ts';

/**
 * A minimal page that does what an app does, for browser tests that drive
 * the client SDK directly: a token from the embedded server's login
 * stand-in, the admission from the control plane (`POST /v1/calls`,
 * `/join`: ticket and TURN servers), then GroupCallClient.joinCall with the
 * camera and microphone at the size asked for. The page is served by
 * Playwright itself (no network) on the media server's origin, so its
 * requests are same-origin. Everything is reachable as `window.sdk`.
 */

const pageScript = `
import { io } from 'socket.io-client';
import { ControlPlaneApi, GroupCallClient, openCallSocket } from '@groupcall/client';
const sdk = { errors: [], events: [], left: [], connection: [], client: undefined, frameTimes: {} };
window.sdk = sdk;
sdk.start = async ({ userId, conversationId, create, video, token: given }) => {
  const token = given ?? (await (await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })).json()).token;
  const getAccessToken = async () => token;
  const api = new ControlPlaneApi({ baseUrl: location.origin, getAccessToken });
  const admission = create ? await api.startCall(conversationId) : await api.joinCall(conversationId);
  const socket = io(admission.endpoint.url, { path: admission.endpoint.path, auth: { token }, transports: ['websocket'] });
  // A call moved to another pod is followed on a socket opened the way an app opens one.
  const openSocket = (endpoint) => openCallSocket(endpoint, { accessToken: getAccessToken, socketOptions: { transports: ['websocket'] } });
  const client = new GroupCallClient(socket, { openSocket });
  sdk.client = client;
  client.on('error', (error) => sdk.errors.push(error.message));
  client.on('participantLeft', ({ socketId }) => sdk.left.push(socketId));
  socket.on('disconnect', (reason) => sdk.connection.push('disconnected: ' + reason));
  socket.io.on('reconnect', () => sdk.connection.push('reconnected'));

  for (const event of ['trackAdded', 'trackRemoved', 'participantLeft', 'layersChanged', 'activeSpeaker', 'callMoved', 'stateChange']) {
    client.on(event, ({ track, ...payload }) => sdk.events.push({ event, at: Date.now(), payload }));
  }
  client.join(userId);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
  await client.joinCall(conversationId, {
    tracks: stream.getTracks(),
    ticket: admission.ticket,
    iceServers: admission.iceServers,
    renewTicket: () => api.joinCall(conversationId),
  });
  return { iceServers: admission.iceServers };
};
sdk.stats = () => sdk.client.getReceiveStats();
// When each remote video track decoded its first and (so far) last frame, sampled every 100 ms.
sdk.watchFrames = () => {
  const decoded = {};
  setInterval(async () => {
    const now = Date.now();
    for (const s of await sdk.client.getReceiveStats()) {
      if (s.kind !== 'video' || s.framesDecoded <= (decoded[s.producerId] ?? 0)) continue;
      decoded[s.producerId] = s.framesDecoded;
      const times = (sdk.frameTimes[s.producerId] ??= { first: now, last: now, frames: 0 });
      times.last = now;
      times.frames = s.framesDecoded;
    }
  }, 100);
};
sdk.receivedProducers = async () => (await sdk.client.getReceiveStats()).map((s) => s.producerId).sort();
`;

let bundled: Promise<string> | undefined;
function pageBundle(): Promise<string> {
  bundled ??= build({
    stdin: {
      contents: pageScript,
      resolveDir: path.resolve(import.meta.dirname, '../../../shared'),
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    write: false,
    target: 'chrome120',
    // @groupcall/client's TypeScript sources, not its build (as the demo page does).
    conditions: ['groupcall-source'],
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundled;
}

/**
 * Chromium flags for the page on loopback: a page Playwright fulfils counts
 * as public, and Chromium's local-network-access checks would then block its
 * WebSocket to 127.0.0.1.
 */
export const sdkPageChromiumFlags: readonly string[] = ['--disable-features=LocalNetworkAccessChecks'];

/** Opens the SDK page of the server at `origin` in `context`. */
export async function openSdkPage(context: BrowserContext, origin: string): Promise<Page> {
  const js = await pageBundle();
  await context.route(`${origin}/sdk-page/**`, (route) =>
    route.fulfill(
      route.request().url().endsWith('.js')
        ? { contentType: 'text/javascript', body: js }
        : {
            contentType: 'text/html',
            body: '<!doctype html><script type="module" src="/sdk-page/app.js"></script>',
          },
    ),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${origin}/sdk-page/`);
  await page.waitForFunction(() => 'sdk' in globalThis);
  return page;
}

/** Video constraints of a capture: small by default (cheap), 1280×720 for simulcast's three layers. */
export interface VideoCapture {
  width: number;
  height: number;
  frameRate: number;
}

export interface JoinArgs {
  userId: string;
  conversationId: string;
  /** Start the call (POST /v1/calls) rather than join it. */
  create: boolean;
  video: VideoCapture;
  /** The user's access token (default: one from the embedded server's login stand-in). */
  token?: string;
}

export interface RemoteStats {
  producerId: string;
  socketId: string;
  kind: 'audio' | 'video';
  participantInfo?: { userId: string };
  bytesReceived: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  freezeCount: number;
  totalFreezesDuration: number;
}

export interface SdkEvent {
  event: string;
  at: number;
  // biome-ignore lint/suspicious/noExplicitAny: payloads are asserted by the tests
  payload: any;
}

/** `window.sdk` as tests see it (no DOM types in this project). */
export interface SdkPageWindow {
  sdk: {
    start(args: JoinArgs): Promise<{ iceServers: unknown[] }>;
    stats(): Promise<RemoteStats[]>;
    /** The producer ids of the remote tracks received now, sorted. */
    receivedProducers(): Promise<string[]>;
    errors: string[];
    events: SdkEvent[];
    /** socketIds the SDK reported gone (participantLeft). */
    left: string[];
    /** The signalling socket's 'disconnected: <reason>' and 'reconnected', in order. */
    connection: string[];
    /** Starts sampling frameTimes. */
    watchFrames(): void;
    /** By producer id: when its video decoded its first and last frame (ms since the epoch). */
    frameTimes: Record<string, { first: number; last: number; frames: number }>;
    client: {
      state: string;
      setPreferredLayers(
        producerId: string,
        layers: { spatialLayer: number; temporalLayer?: number },
      ): Promise<void>;
      fitToTile(producerId: string, tileHeight: number): Promise<number>;
      getSendStats(): Promise<LocalLayerStats[]>;
      setMicrophoneEnabled(enabled: boolean): Promise<void>;
    };
  };
}

/** Joins the call from the page (see JoinArgs). */
export function joinFromPage(page: Page, args: JoinArgs): Promise<{ iceServers: unknown[] }> {
  return page.evaluate((a) => (globalThis as unknown as SdkPageWindow).sdk.start(a), args);
}

/** A small camera: cheap for tests that only ask whether media arrives. */
export const SMALL_VIDEO: VideoCapture = { width: 320, height: 240, frameRate: 15 };

/**
 * Each user, in order, joins the call from an SDK page of their own (a fresh
 * loopback context); the first starts it. Answers the pages by user id.
 */
export async function joinEachFromSdkPages(
  call: BrowserCall,
  userIds: readonly string[],
  conversationId: string,
  video: VideoCapture = SMALL_VIDEO,
): Promise<Map<string, Page>> {
  const pages = new Map<string, Page>();
  for (const [index, userId] of userIds.entries()) {
    const page = await openSdkPage(await loopbackContext(call.browser), call.server.url);
    pages.set(userId, page);
    await joinFromPage(page, { userId, conversationId, create: index === 0, video });
  }
  return pages;
}

export function statsOf(page: Page): Promise<RemoteStats[]> {
  return page.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.stats());
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromiumExecutable, chromiumFlags } from '@groupcall/testing';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Real browsers in a call on a cluster pod: a minimal page that uses the
 * client SDK (no demo UI), served from loopback, in headless Chromium with
 * a fake camera and microphone. Media is read from inbound RTP counters.
 */

const pageScript = `
import { io } from 'socket.io-client';
import { GroupCallClient } from '@groupcall/client';
const params = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const socket = io(params.url, { path: params.path, auth: { token: params.token }, transports: ['websocket'] });
const client = new GroupCallClient(socket);
window.participant = {
  interrupted: 0,
  async start() {
    client.on('callInterrupted', () => { window.participant.interrupted++; });
    client.join(params.userId);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
    await client.joinCall(params.conversationId, { tracks: stream.getTracks(), ticket: params.ticket });
  },
  stats: () => client.getReceiveStats(),
};
`;

export interface BrowserHarness {
  browser: Browser;
  open(params: {
    url: string;
    path: string;
    token: string;
    userId: string;
    conversationId: string;
    ticket: string;
  }): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const bundle = await build({
    stdin: {
      contents: pageScript,
      resolveDir: path.resolve(import.meta.dirname, '../../..'),
      loader: 'ts',
    },
    // @groupcall/client's TypeScript sources, not its build.
    conditions: ['groupcall-source'],
    bundle: true,
    format: 'esm',
    write: false,
    target: 'chrome120',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: chromiumExecutable,
    headless: true,
    args: [...chromiumFlags],
  });
  return {
    browser,
    async open(params) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/#${encodeURIComponent(JSON.stringify(params))}`);
      await page.waitForFunction(() => 'participant' in globalThis);
      await page.evaluate(() =>
        (globalThis as unknown as { participant: { start(): Promise<void> } }).participant.start(),
      );
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Received {
  kind: 'audio' | 'video';
  bytesReceived: number;
  framesDecoded: number;
}

/** Bytes and decoded frames received by a page, summed over its remote tracks. */
export async function received(
  page: Page,
): Promise<{ audioBytes: number; videoBytes: number; frames: number }> {
  const stats = (await page.evaluate(() =>
    (globalThis as unknown as { participant: { stats(): Promise<unknown> } }).participant.stats(),
  )) as Received[];
  const sum = (kind: Received['kind'], field: 'bytesReceived' | 'framesDecoded') =>
    stats.filter((s) => s.kind === kind).reduce((total, s) => total + s[field], 0);
  return {
    audioBytes: sum('audio', 'bytesReceived'),
    videoBytes: sum('video', 'bytesReceived'),
    frames: sum('video', 'framesDecoded'),
  };
}

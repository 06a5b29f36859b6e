import path from 'node:path';
import { chromiumFlags, chromiumInNode, type LabNode, makeTempDir, type TempDir } from '@groupcall/testing';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * A call participant on a lab node: headless Chromium running inside the
 * node's namespace (fake camera and microphone), with a minimal page that
 * does what an app does: a token from the embedded server's login stand-in,
 * the admission from the control plane (`POST /v1/calls`, `/join`: ticket and
 * TURN servers), then the client SDK's joinCall. The page is served by
 * Playwright itself (no network) on the media server's origin, so its
 * requests are same-origin.
 */

const pageScript = `
import { io } from 'socket.io-client';
import { ControlPlaneApi, GroupCallClient } from '@groupcall/client';
const lab = { errors: [], left: [], connection: [], client: undefined };
window.lab = lab;
lab.start = async ({ userId, conversationId, create }) => {
  const response = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  const { token } = await response.json();
  const api = new ControlPlaneApi({ baseUrl: location.origin, getAccessToken: async () => token });
  const admission = create ? await api.startCall(conversationId) : await api.joinCall(conversationId);
  const socket = io(admission.endpoint.url, { path: admission.endpoint.path, auth: { token }, transports: ['websocket'] });
  const client = new GroupCallClient(socket);
  lab.client = client;
  client.on('error', (error) => lab.errors.push(error.message));
  client.on('participantLeft', ({ socketId }) => lab.left.push(socketId));
  socket.on('disconnect', (reason) => lab.connection.push('disconnected: ' + reason));
  socket.io.on('reconnect', () => lab.connection.push('reconnected'));
  client.join(userId);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
  await client.joinCall(conversationId, {
    tracks: stream.getTracks(),
    ticket: admission.ticket,
    iceServers: admission.iceServers,
    renewTicket: () => api.joinCall(conversationId),
  });
  return { iceServers: admission.iceServers };
};
lab.stats = () => lab.client.getReceiveStats();
lab.receivedProducers = async () => (await lab.client.getReceiveStats()).map((s) => s.producerId).sort();
`;

let bundled: Promise<string> | undefined;
function pageBundle(): Promise<string> {
  bundled ??= build({
    stdin: {
      contents: pageScript,
      resolveDir: path.resolve(import.meta.dirname, '../../../../shared'),
      loader: 'js',
    },
    bundle: true,
    // The SDK from its sources, as the other browser tests bundle it: no client build needed.
    conditions: ['groupcall-source'],
    format: 'esm',
    write: false,
    target: 'chrome120',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundled;
}

export interface ReceivedMedia {
  /** Video frames decoded, summed over the remote video tracks. */
  frames: number;
  videoBytes: number;
  audioBytes: number;
}

export class LabParticipant {
  readonly node: LabNode;
  readonly page: Page;
  readonly #browser: Browser;
  readonly #dir: TempDir;

  private constructor(node: LabNode, browser: Browser, page: Page, dir: TempDir) {
    this.node = node;
    this.#browser = browser;
    this.page = page;
    this.#dir = dir;
  }

  /** Chromium in `node`, on the lab page of the media server at `origin`. */
  static async open(node: LabNode, origin: string): Promise<LabParticipant> {
    const dir = makeTempDir(`lab-chromium-${node.name}`);
    const browser = await chromium.launch({
      executablePath: chromiumInNode(node, dir),
      headless: true,
      // A lab address is not a secure origin: camera and microphone need it treated as one.
      args: [...chromiumFlags, `--unsafely-treat-insecure-origin-as-secure=${origin}`],
    });
    try {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      const js = await pageBundle();
      await context.route(`${origin}/lab/**`, (route) =>
        route.fulfill(
          route.request().url().endsWith('.js')
            ? { contentType: 'text/javascript', body: js }
            : {
                contentType: 'text/html',
                body: '<!doctype html><script type="module" src="/lab/app.js"></script>',
              },
        ),
      );
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto(`${origin}/lab/`);
      await page.waitForFunction(() => 'lab' in globalThis);
      return new LabParticipant(node, browser, page, dir);
    } catch (error) {
      await browser.close();
      dir.remove();
      throw error;
    }
  }

  /** Signs in as `userId`, gets admitted (starting the call with `create`) and joins it. */
  async join(userId: string, conversationId: string, create = false): Promise<{ iceServers: unknown[] }> {
    return this.page.evaluate((args) => (globalThis as unknown as LabWindow).lab.start(args), {
      userId,
      conversationId,
      create,
    });
  }

  /** What this participant has received so far (inbound RTP counters). */
  async received(): Promise<ReceivedMedia> {
    const stats = await this.page.evaluate(() => (globalThis as unknown as LabWindow).lab.stats());
    const sum = (kind: 'audio' | 'video', field: 'bytesReceived' | 'framesDecoded') =>
      stats.filter((s) => s.kind === kind).reduce((total, s) => total + s[field], 0);
    return {
      frames: sum('video', 'framesDecoded'),
      videoBytes: sum('video', 'bytesReceived'),
      audioBytes: sum('audio', 'bytesReceived'),
    };
  }

  /** The producer ids of the remote tracks received now. */
  async receivedProducers(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as LabWindow).lab.receivedProducers());
  }

  /** The socketIds the SDK reported as gone (its `participantLeft` event). */
  async participantsLeft(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as LabWindow).lab.left);
  }

  /** Waits until the signalling socket has `disconnected` (or `reconnected`), and answers how. */
  async connectionEvent(event: 'disconnected' | 'reconnected', timeoutMs: number): Promise<string> {
    const handle = await this.page.waitForFunction(
      (wanted) => (globalThis as unknown as LabWindow).lab.connection.find((seen) => seen.startsWith(wanted)),
      event,
      { timeout: timeoutMs, polling: 100 },
    );
    return (await handle.jsonValue()) as string;
  }

  /** Waits until the SDK is in the call (after a join, resume or rejoin). */
  async inCall(timeoutMs: number): Promise<void> {
    await this.page.waitForFunction(
      () => (globalThis as unknown as LabWindow).lab.client?.state === 'in-call',
      {
        timeout: timeoutMs,
        polling: 100,
      },
    );
  }

  /** Errors the SDK reported (its `error` event). */
  async errors(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as LabWindow).lab.errors);
  }

  async close(): Promise<void> {
    await this.#browser.close();
    this.#dir.remove();
  }
}

interface LabWindow {
  lab: {
    start(args: {
      userId: string;
      conversationId: string;
      create: boolean;
    }): Promise<{ iceServers: unknown[] }>;
    stats(): Promise<{ kind: 'audio' | 'video'; bytesReceived: number; framesDecoded: number }[]>;
    receivedProducers(): Promise<string[]>;
    errors: string[];
    left: string[];
    connection: string[];
    client: { state: string } | undefined;
  };
}

import { chromiumFlags, chromiumInNode, type LabNode, makeTempDir, type TempDir } from '@groupcall/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  joinFromPage,
  openSdkPage,
  type SdkPageWindow,
  statsOf,
  type VideoCapture,
} from '../../support/sdk-page.ts';

/**
 * A call participant on a lab node: headless Chromium running inside the
 * node's namespace (fake camera and microphone) on the SDK test page
 * (support/sdk-page.ts), which joins like an app does.
 */

/** The lab's default capture: small, so two or three participants fit this machine. */
const smallCapture: VideoCapture = { width: 320, height: 240, frameRate: 15 };

export interface ReceivedMedia {
  /** Video frames decoded, summed over the remote video tracks. */
  frames: number;
  videoBytes: number;
  audioBytes: number;
  /** Height of the last decoded frame, the tallest remote video: the simulcast layer received. */
  frameHeight: number;
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
      const page = await openSdkPage(context, origin);
      return new LabParticipant(node, browser, page, dir);
    } catch (error) {
      await browser.close();
      dir.remove();
      throw error;
    }
  }

  /** Signs in as `userId`, gets admitted (starting the call with `create`) and joins it. */
  async join(
    userId: string,
    conversationId: string,
    create = false,
    video: VideoCapture = smallCapture,
  ): Promise<{ iceServers: unknown[] }> {
    return joinFromPage(this.page, { userId, conversationId, create, video });
  }

  /** What this participant has received so far (inbound RTP counters). */
  async received(): Promise<ReceivedMedia> {
    const stats = await statsOf(this.page);
    const sum = (kind: 'audio' | 'video', field: 'bytesReceived' | 'framesDecoded') =>
      stats.filter((s) => s.kind === kind).reduce((total, s) => total + s[field], 0);
    return {
      frames: sum('video', 'framesDecoded'),
      videoBytes: sum('video', 'bytesReceived'),
      audioBytes: sum('audio', 'bytesReceived'),
      frameHeight: Math.max(0, ...stats.map((s) => s.frameHeight)),
    };
  }

  /** The producer ids of the remote tracks received now. */
  async receivedProducers(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.receivedProducers());
  }

  /** The socketIds the SDK reported as gone (its `participantLeft` event). */
  async participantsLeft(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.left);
  }

  /** Waits until the signalling socket has `disconnected` (or `reconnected`), and answers how. */
  async connectionEvent(event: 'disconnected' | 'reconnected', timeoutMs: number): Promise<string> {
    const handle = await this.page.waitForFunction(
      (wanted) =>
        (globalThis as unknown as SdkPageWindow).sdk.connection.find((seen) => seen.startsWith(wanted)),
      event,
      { timeout: timeoutMs, polling: 100 },
    );
    return (await handle.jsonValue()) as string;
  }

  /** Waits until the SDK is in the call (after a join, resume or rejoin). */
  async inCall(timeoutMs: number): Promise<void> {
    await this.page.waitForFunction(
      () => (globalThis as unknown as SdkPageWindow).sdk.client.state === 'in-call',
      undefined,
      { timeout: timeoutMs, polling: 100 },
    );
  }

  /** Errors the SDK reported (its `error` event). */
  async errors(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as SdkPageWindow).sdk.errors);
  }

  async close(): Promise<void> {
    await this.#browser.close();
    this.#dir.remove();
  }
}

import { userRoom } from '@groupcall/shared/calls';
import { chromiumExecutable, chromiumFlags } from '@groupcall/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startEmbeddedServer } from '../../src/server.ts';

/**
 * What an SRE reads on a pod's /metrics while people are in a call: packet
 * loss, round-trip time, jitter and bitrate from mediasoup's stats, how long
 * devices took from createRoom to their first media, and how long calls last.
 * Two people call each other through the demo page in headless Chromium with
 * fake camera and microphone, against real mediasoup (the embedded default
 * serves the pod's /metrics).
 */

const users = { alice: '1', bob: '2' } as const;
const conversationId = 'team-alpha';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startEmbeddedServer({
    port: 0,
    config: {
      host: '127.0.0.1',
      media: { numWorkers: 1, portBase: 0, listenIp: '127.0.0.1' },
      // Sampled every second rather than every 10 s, so the test waits seconds, not minutes.
      callQualitySampleMs: 1000,
      // A call ends shortly after its last device left (production: 10 s).
      emptyRoomGraceMs: 300,
    },
  });
  browser = await chromium.launch({
    executablePath: chromiumExecutable,
    headless: true,
    args: [...chromiumFlags],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every groupcall_sfu_ sample of the pod's /metrics, by its name with labels. */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('groupcall_sfu_')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/**
 * The sum of a metric over its label sets that have `labels` (all of them by default), e.g. a
 * histogram's _count over directions and kinds.
 */
function total(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of samples) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([label, wanted]) => key.includes(`${label}="${wanted}"`))) sum += value;
  }
  return sum;
}

async function openAs(userId: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  // Loopback only: the demo's avatar URLs are external.
  await context.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(server.url);
  await page.locator(`[data-testid=pick-user][data-user-id="${userId}"]`).click();
  // The page's join has no ack: wait until the server knows the user's socket, or it misses the ring.
  await expect
    .poll(async () => (await server.io.in(userRoom(userId)).fetchSockets()).length, { timeout: 10_000 })
    .toBe(1);
  return page;
}

describe("a pod's call-quality metrics", () => {
  it('fill from a real two-person call: loss, RTT, jitter, bitrate, join latency, then the call duration', async () => {
    const before = await scrape();
    expect(total(before, 'groupcall_sfu_join_latency_seconds_count')).toBe(0);
    expect(total(before, 'groupcall_sfu_call_duration_seconds_count')).toBe(0);

    const [alice, bob] = await Promise.all([openAs(users.alice), openAs(users.bob)]);
    await alice
      .locator(
        `[data-testid=conversation][data-conversation-id="${conversationId}"] [data-testid=start-video-call]`,
      )
      .click();
    await bob.getByTestId('accept-call').click();

    // Both devices resumed a consumer of the other's media: each one's join latency is observed
    // (once per join: a device the SDK had to rejoin on a loaded machine counts again).
    await expect
      .poll(async () => total(await scrape(), 'groupcall_sfu_join_latency_seconds_count'), {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(2);

    // Media flows both ways, and the sampler has read its stats: every quality histogram has counts,
    // and loss is sampled on both legs, device → pod (producers) and pod → device (consumers), for
    // audio and video. Polled as a whole: the devices' tracks start one after another.
    const expected = [
      ...[
        'groupcall_sfu_packet_loss_ratio_count',
        'groupcall_sfu_round_trip_time_seconds_count',
        'groupcall_sfu_jitter_seconds_count',
        'groupcall_sfu_stream_bitrate_bits_per_second_count',
        'groupcall_sfu_transport_bitrate_bits_per_second_count',
      ].map((name) => ({ name, labels: {} })),
      ...['inbound', 'outbound'].flatMap((direction) =>
        ['audio', 'video'].map((kind) => ({
          name: 'groupcall_sfu_packet_loss_ratio_count',
          labels: { direction, kind },
        })),
      ),
    ];
    await expect
      .poll(
        async () => {
          const samples = await scrape();
          return expected.filter(({ name, labels }) => total(samples, name, labels) === 0);
        },
        { timeout: 60_000, interval: 500 },
      )
      .toEqual([]);
    const during = await scrape();
    // Real media: the sampled bitrates add up to more than nothing.
    expect(total(during, 'groupcall_sfu_stream_bitrate_bits_per_second_sum')).toBeGreaterThan(0);
    expect(total(during, 'groupcall_sfu_transport_bitrate_bits_per_second_sum')).toBeGreaterThan(0);
    expect(total(during, 'groupcall_sfu_call_duration_seconds_count')).toBe(0);

    await alice.getByTestId('leave-call').click();
    await bob.getByTestId('leave-call').click();

    // The call ended (its room closed after the grace period): one duration observed, as long as the call was.
    await expect
      .poll(async () => total(await scrape(), 'groupcall_sfu_call_duration_seconds_count'), {
        timeout: 20_000,
      })
      .toBe(1);
    const after = await scrape();
    expect(total(after, 'groupcall_sfu_call_duration_seconds_sum')).toBeGreaterThan(1);
  }, 240_000);
});

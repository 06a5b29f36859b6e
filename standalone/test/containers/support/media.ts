import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { received } from '../../cluster/support/browser-participant.ts';

/** Both pages decode the other's video and receive its audio. */
export async function expectMediaBetween(a: Page, b: Page): Promise<void> {
  for (const page of [a, b]) {
    await expect
      .poll(async () => received(page), { timeout: 30_000, interval: 250 })
      .toMatchObject({
        frames: expect.toSatisfy((n: number) => n >= 10),
        audioBytes: expect.toSatisfy((n: number) => n > 0),
      });
  }
}

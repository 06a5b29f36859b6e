import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  hasMediaFromEach,
  type ReceivedMedia,
  receivedByUser,
  useBrowserCall,
} from '../support/browser-call.ts';
import { joinEachFromSdkPages, sdkPageChromiumFlags, statsOf } from '../support/sdk-page.ts';
import { watchMediasoup } from '../support/test-server.ts';

/**
 * The SDK sends the microphone with Opus DTX: a participant whose mic is open
 * but who is silent then sends a few audio packets a second instead of 50,
 * which saves a phone's uplink and battery and the server's forwarding. What
 * the operator sees is the server's Producer for the mic negotiated with
 * `usedtx=1`; what the others notice is that they still hear that person.
 * Two people in headless Chromium through the client SDK, against real mediasoup.
 */

const conversationId = 'team-alpha';
const call = useBrowserCall({ chromiumArgs: sdkPageChromiumFlags });

describe('Opus DTX on the microphone', () => {
  it('the server receives the mic with usedtx=1, and the other participant still hears it', {
    timeout: 120_000,
  }, async () => {
    const seen = watchMediasoup(call.server);
    const pages = await joinEachFromSdkPages(call, ['1', '2'], conversationId);

    const mics = seen.producers.filter((p) => p.kind === 'audio' && p.appData.source === 'mic');
    expect(mics).toHaveLength(2);
    for (const mic of mics) {
      const opus = mic.rtpParameters.codecs.find((c) => c.mimeType.toLowerCase() === 'audio/opus');
      expect(opus?.parameters).toMatchObject({ usedtx: 1 });
    }

    await expect
      .poll(async () => receivedByUser(await statsOf(pages.get('2') as Page)), {
        timeout: 60_000,
        interval: 500,
      })
      .toSatisfy((media: Record<string, ReceivedMedia>) => hasMediaFromEach(media, ['1']));
  });
});

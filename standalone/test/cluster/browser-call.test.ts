import { startRedis } from '@groupcall/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type BrowserHarness, received, startBrowserHarness } from './support/browser-participant.ts';
import { type Cluster, startCluster } from './support/cluster.ts';

/**
 * Media between two real browsers through a pod under stress. Redis holds
 * placement, the registry and cross-pod events, never media: while it is
 * down the call's media keeps flowing, new joins fail with a clear error,
 * and the pod re-registers by itself when Redis is back. Then SIGTERM: the
 * pod drains, media still flows, and it exits once the call is over.
 */
let cluster: Cluster;
let browsers: BrowserHarness;
/** Alice's and Bob's pages, in one call on the cluster's single pod. */
let call: Page[] = [];

beforeAll(async () => {
  cluster = await startCluster({ pods: ['sfu-a'] });
  browsers = await startBrowserHarness();
}, 60_000);
afterAll(async () => {
  await browsers?.close();
  await cluster?.stop();
});

async function joinInBrowser(userId: string): Promise<Page> {
  const answer = await cluster.api(userId, 'POST', '/v1/calls', {
    conversationId: 'team-alpha',
    callType: 'video',
  });
  expect([200, 201]).toContain(answer.status);
  return browsers.open({
    url: answer.body.endpoint.url,
    path: answer.body.endpoint.path,
    token: await cluster.token(userId),
    userId,
    conversationId: 'team-alpha',
    ticket: answer.body.ticket,
  });
}

describe('a running call in real browsers', () => {
  it('outlives a Redis outage: media flows, new joins are refused clearly, the pod recovers', {
    timeout: 90_000,
  }, async () => {
    const alice = await joinInBrowser('1');
    const bob = await joinInBrowser('2');
    call = [alice, bob];
    for (const page of [alice, bob]) {
      await expect.poll(async () => (await received(page)).frames, { timeout: 20_000 }).toBeGreaterThan(10);
    }

    await cluster.redis.stop();
    const before = await Promise.all([alice, bob].map(received));
    for (const [index, page] of [alice, bob].entries()) {
      const start = before[index];
      if (!start) throw new Error('no baseline');
      await expect
        .poll(async () => (await received(page)).frames, { timeout: 15_000 })
        .toBeGreaterThan(start.frames + 30);
      await expect.poll(async () => (await received(page)).audioBytes).toBeGreaterThan(start.audioBytes);
    }
    const pod = cluster.pods.get('sfu-a');
    if (!pod) throw new Error('no pod');
    expect((await fetch(`${pod.url}/healthz`)).status).toBe(200);

    // A new device cannot be placed while Redis is away, and is told so.
    const carol = await TestClient.joined(pod.url, '3', { path: pod.path, token: await cluster.token('3') });
    expect(await carol.request('createRoom', { roomId: 'team-alpha' })).toEqual({
      error: 'Call placement is unavailable, try again shortly',
    });

    const redis = await startRedis({ port: cluster.redis.port });
    cluster.redis = redis;
    await expect.poll(async () => (await fetch(`${pod.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
    for (const page of [alice, bob]) {
      expect(
        await page.evaluate(
          () => (globalThis as unknown as { participant: { interrupted: number } }).participant.interrupted,
        ),
      ).toBe(0);
    }
    carol.close();
  });

  it('then drains on SIGTERM with the call’s media still flowing, and exits after the last leave', {
    timeout: 60_000,
  }, async () => {
    const pod = cluster.pods.get('sfu-a');
    if (!pod || call.length !== 2) throw new Error('needs the running call of the previous test');
    pod.process.signal('SIGTERM');
    await expect.poll(async () => (await fetch(`${pod.url}/readyz`)).status, { timeout: 10_000 }).toBe(503);
    for (const page of call) {
      const start = await received(page);
      await expect
        .poll(async () => (await received(page)).frames, { timeout: 15_000 })
        .toBeGreaterThan(start.frames + 30);
    }
    for (const page of call) await page.close();
    expect(await pod.process.exit()).toEqual({ code: 0, signal: null });
    cluster.pods.delete('sfu-a');
  });
});

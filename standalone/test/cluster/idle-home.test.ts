import { placementKeys } from '@groupcall/shared/placement';
import { waitUntil } from '@groupcall/testing';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type BrowserHarness, received, startBrowserHarness } from './support/browser-participant.ts';
import { type Cluster, type PodProcess, startCluster } from './support/cluster.ts';

/**
 * A home for apps in no call: every pod also serves the stable signalling
 * path the chart routes to any ready pod (with affinity), so an idle app
 * hears rings, banners and ends of calls hosted on any pod, and enters a
 * call through the endpoint it is given. Pod sfu-a takes no new call (its
 * capacity is below what a new call counts for), so every call here is
 * hosted on sfu-b while the members listen on sfu-a.
 */
const homePath = '/socket.io';

/** An app as the client flow says: listens at home, enters a call with the SDK where it is hosted. */
const memberPageScript = `
import { GroupCallHome } from '@groupcall/client';
const params = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const events = [];
let home;
let call;
window.participant = {
  events,
  async start() {
    home = new GroupCallHome({
      url: params.url,
      path: params.path,
      userId: params.userId,
      accessToken: params.token,
    });
    for (const event of ['incomingCall', 'callStarted', 'callEnded'])
      home.client.on(event, (payload) => events.push({ event, ...payload }));
    if (!home.socket.connected) await new Promise((resolve) => home.socket.once('connect', resolve));
  },
  async enter(conversationId, admission) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
    call = await home.enterCall(conversationId, { tracks: stream.getTracks(), ...admission });
    return { enteredOnHomeSocket: call === home.client };
  },
  leave: () => call.leave(),
  stats: () => (call ? call.getReceiveStats() : []),
};
`;

interface MemberPage {
  participant: {
    events: { event: string; callId?: string }[];
    enter(conversationId: string, admission: object): Promise<{ enteredOnHomeSocket: boolean }>;
    leave(): void;
  };
}

let cluster: Cluster;
let browsers: BrowserHarness;
let redis: Redis;
let home: PodProcess;
let host: PodProcess;

beforeAll(async () => {
  cluster = await startCluster({ pods: [] });
  // A new call counts as 4 participants: sfu-a has no room for one, but serves idle sockets.
  home = await cluster.startPod('sfu-a', { POD_CAPACITY: '3' });
  host = await cluster.startPod('sfu-b');
  redis = new Redis(cluster.redis.url);
  browsers = await startBrowserHarness(memberPageScript);
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await browsers?.close();
  await cluster?.stop();
});

/** Whether `userId` has a socket registered on `pod` (what ringing and `unreachable` go by). */
async function connectedTo(pod: PodProcess, userId: string): Promise<boolean> {
  return (await redis.hexists(placementKeys().users(pod.name), userId)) === 1;
}

async function untilConnected(pod: PodProcess, userId: string, connected = true): Promise<void> {
  await waitUntil(async () => (await connectedTo(pod, userId)) === connected, {
    description: `user ${userId} ${connected ? 'connected to' : 'gone from'} ${pod.name}`,
    timeoutMs: 15_000,
  });
}

async function memberAtHome(userId: string, conversationId: string): Promise<Page> {
  const page = await browsers.open({
    url: home.url,
    path: homePath,
    token: await cluster.token(userId),
    userId,
    conversationId,
  });
  // Rung only once registered: the SDK's join has no ack.
  await untilConnected(home, userId);
  return page;
}

async function heard(page: Page, event: string, callId: string): Promise<void> {
  await page.waitForFunction(
    ({ event, callId }) =>
      (globalThis as unknown as MemberPage).participant.events.some(
        (e) => e.event === event && e.callId === callId,
      ),
    { event, callId },
    { timeout: 20_000 },
  );
}

describe('a home for idle devices, across two real pods', () => {
  it('rings a seed-style client listening on the home path, and tells it where a call hosted elsewhere is', async () => {
    // Long-polling: every request of the session goes through the home path (the pod renames it).
    const carol = await TestClient.joined(home.url, '3', {
      path: homePath,
      token: await cluster.token('3'),
      transports: ['polling'],
    });
    await untilConnected(home, '3');

    const call = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'team-alpha',
      callType: 'video',
    });
    expect(call.status).toBe(201);
    expect(call.body.endpoint).toEqual({ url: host.url, path: host.path });
    expect(await carol.waitFor('group_call_incoming')).toMatchObject({
      conversationId: 'team-alpha',
      callId: call.body.callId,
    });
    expect(await carol.request('createRoom', { roomId: 'team-alpha' })).toEqual({
      error: `This call is hosted on another server: ${host.url}${host.path}`,
      endpoint: call.body.endpoint,
    });
    carol.close();
  });

  it('rings an SDK app at home on sfu-a, which enters the call on sfu-b through its endpoint and hears it end', {
    timeout: 120_000,
  }, async () => {
    const erin = await memberAtHome('5', 'team-beta');
    const frank = await memberAtHome('6', 'team-beta');

    const call = await cluster.api('5', 'POST', '/v1/calls', {
      conversationId: 'team-beta',
      callType: 'video',
    });
    expect(call.status).toBe(201);
    expect(call.body.endpoint).toEqual({ url: host.url, path: host.path });
    const callId: string = call.body.callId;
    await heard(frank, 'incomingCall', callId);
    await heard(frank, 'callStarted', callId);

    const enter = (page: Page, admission: object) =>
      page.evaluate(
        ({ admission }) => (globalThis as unknown as MemberPage).participant.enter('team-beta', admission),
        { admission },
      );
    // Erin the guide's way: her home server answers where the call is hosted, and the SDK goes there.
    expect(await enter(erin, {})).toEqual({ enteredOnHomeSocket: false });
    // Frank through the control plane: its admission names the endpoint.
    const accepted = await cluster.api('6', 'POST', '/v1/calls/team-beta/join');
    expect(accepted.status).toBe(200);
    expect(
      await enter(frank, {
        endpoint: accepted.body.endpoint,
        ticket: accepted.body.ticket,
        iceServers: accepted.body.iceServers,
      }),
    ).toEqual({ enteredOnHomeSocket: false });

    // In the call on sfu-b, still listening at home on sfu-a; media flows both ways.
    for (const userId of ['5', '6']) {
      await untilConnected(host, userId);
      expect(await connectedTo(home, userId)).toBe(true);
    }
    for (const page of [erin, frank]) {
      await expect.poll(async () => (await received(page)).frames, { timeout: 30_000 }).toBeGreaterThan(10);
    }

    for (const page of [erin, frank])
      await page.evaluate(() => (globalThis as unknown as MemberPage).participant.leave());
    await heard(frank, 'callEnded', callId);
    await heard(erin, 'callEnded', callId);
    // The socket opened for the call closes with it; the home socket stays.
    for (const userId of ['5', '6']) {
      await untilConnected(host, userId, false);
      expect(await connectedTo(home, userId)).toBe(true);
    }
    for (const page of [erin, frank]) await page.close();
  });
});

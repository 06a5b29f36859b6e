import { loadDirectoryData } from '@groupcall/shared/directory';
import type { CallAdmission } from '@groupcall/shared/protocol';
import { GroupCallContainer, type StackPod, type StartedGroupCallStack } from '@groupcall/testcontainers';
import { type FakeFcm, waitUntil } from '@groupcall/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, startBrowserHarness } from '../cluster/support/browser-participant.ts';
import { localImages } from './support/local-images.ts';
import { expectMediaBetween } from './support/media.ts';

// The product as it ships: the control-plane and sfu-worker images, two pods,
// Redis, MariaDB behind the PlanetScale simulator, pushes to a fake FCM, and
// real Chromium participants; on the host network (as pods run on Kubernetes)
// or, with GROUPCALL_STACK_NETWORK=bridge, on a bridge network with mapped ports.

const conversationId = 'container-call';
/**
 * The demo directory plus a conversation and a user only the database knows:
 * rings reaching Grace's token prove the control plane read the seeded
 * database, not its built-in demo data.
 */
const demo = loadDirectoryData();
const directory = {
  users: [...demo.users, { id: '7', name: 'Grace', avatar: null, fcmTokens: ['container-token-grace'] }],
  conversations: [
    ...demo.conversations,
    { id: conversationId, name: 'Container Call', avatar: null, members: ['1', '2', '7'] },
  ],
};

let stack: StartedGroupCallStack;
let fcm: FakeFcm;
let browsers: BrowserHarness;
const pages: Page[] = [];

beforeAll(async () => {
  stack = await new GroupCallContainer()
    .withImages(localImages())
    .withoutPulling()
    .withNetworkMode(process.env.GROUPCALL_STACK_NETWORK === 'bridge' ? 'bridge' : 'host')
    .withLogs(process.env.GROUPCALL_STACK_LOGS === '1')
    .withSfuPods(2)
    .withDirectory(directory)
    .start();
  const stackFcm = stack.getFcm();
  if (!stackFcm) throw new Error('the stack started no fake FCM');
  fcm = stackFcm;
  browsers = await startBrowserHarness();
}, 180_000);

afterAll(async () => {
  await browsers?.close();
  await stack?.stop();
});

/** A browser page of `userId` in the call, connected where `admission` says, with its ticket. */
async function enter(userId: string, admission: CallAdmission): Promise<Page> {
  const page = await browsers.open({
    url: admission.endpoint.url,
    path: admission.endpoint.path,
    token: await stack.token(userId),
    userId,
    conversationId,
    ticket: admission.ticket,
  });
  pages.push(page);
  return page;
}

async function closePages(): Promise<void> {
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
}

describe('the product in containers', () => {
  let firstPod: StackPod;
  let alice: CallAdmission;

  it('starts a call and rings the members through FCM with the original push fields', async () => {
    const started = await stack.api('1').startCall(conversationId, 'video');
    expect(started.created).toBe(true);
    firstPod = stack.getPodAt(started.endpoint.path);
    expect(started.endpoint).toEqual({ url: firstPod.url, path: `/sfu/${firstPod.name}/socket.io` });
    alice = started;

    // Bob's and Grace's devices (from the seeded database); never the caller's.
    await expect
      .poll(
        () =>
          fcm
            .delivered()
            .map((r) => r.token)
            .sort(),
        { timeout: 15_000 },
      )
      .toEqual(['container-token-grace', 'demo-token-bob']);
    for (const { message } of fcm.delivered()) {
      expect(message.data).toEqual({
        type: 'group_call_initiate',
        success: 'true',
        title: 'Container Call',
        body: 'Alice is calling',
        message: 'Alice started a group call',
        conversationId,
        data: expect.any(String),
      });
      expect(JSON.parse(message.data?.data ?? '')).toEqual({
        callerId: '1',
        callType: 'video',
        conversationId,
        callerInfo: { id: 1, name: 'Alice', avatar: 'https://i.pravatar.cc/150?img=47' },
        conversationInfo: { id: conversationId, name: 'Container Call', avatar: null },
      });
      expect(message.android).toMatchObject({ priority: 'high', collapse_key: conversationId });
      expect(message.apns?.headers).toMatchObject({ 'apns-push-type': 'alert', 'apns-priority': '10' });
    }
  });

  it('carries media between two browsers on the pod the control plane chose', async () => {
    const bob = await stack.api('2').joinCall(conversationId);
    expect(bob.endpoint).toEqual(alice.endpoint);
    const [alicePage, bobPage] = [await enter('1', alice), await enter('2', bob)];
    await expectMediaBetween(alicePage, bobPage);
    expect((await stack.api('2').callStatus(conversationId)).participants).toBe(2);
  });

  it('places the call on the other pod at the next join once its pod is gone', async () => {
    await firstPod.stop();
    await closePages();
    const [otherPod] = stack.getPods().filter((pod) => pod !== firstPod);
    if (!otherPod) throw new Error('the stack has one pod');

    // The dead pod's registry entry expires within seconds; until then joins still name it.
    let moved: CallAdmission | undefined;
    await waitUntil(
      async () => {
        const admission = await stack.api('1').joinCall(conversationId);
        if (admission.endpoint.path !== firstPod.path) moved = admission;
        return moved !== undefined;
      },
      { description: `a join places the call off ${firstPod.name}`, timeoutMs: 30_000, intervalMs: 250 },
    );
    if (!moved) throw new Error('unreachable');
    expect(moved.endpoint).toEqual({ url: otherPod.url, path: otherPod.path });

    const bob = await stack.api('2').joinCall(conversationId);
    expect(bob.endpoint).toEqual(moved.endpoint);
    const [alicePage, bobPage] = [await enter('1', moved), await enter('2', bob)];
    await expectMediaBetween(alicePage, bobPage);
  });
});

import { captureLogs, type FakeFcm, fakePodRecord, startFakeFcm } from '@groupcall/testing';
import { useRedisPodRegistry } from '@groupcall/testing/redis-pod-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisPlacement } from '../../src/placement/redis-placement.ts';
import { FcmPushSender } from '../../src/push/fcm-push-sender.ts';
import { createFirebaseMessaging, type FirebaseMessaging } from '../../src/push/firebase-messaging.ts';
import { ControlPlaneHarness } from './support/control-plane.ts';

/**
 * An operator follows one call through the control plane's logs with grep on
 * its callId: placing it on a pod (a real Redis registry), ringing and
 * stopping the ring by push (the real firebase-admin SDK against a fake FCM,
 * one token dead), the decline and the end. Every line that names the
 * conversation names the call too, and so does every line of the parts that
 * only act for a call (placement, push, socket events).
 */

const { log: logger, lines, linesRepeating } = captureLogs('control-plane');

const redisPods = useRedisPodRegistry();
let fcm: FakeFcm;
let firebase: FirebaseMessaging;

beforeAll(async () => {
  fcm = await startFakeFcm();
  firebase = createFirebaseMessaging(fcm.firebaseOptions);
});

afterAll(async () => {
  await firebase?.close();
  await fcm?.stop();
});

describe('the logs of a call on the control plane', () => {
  it('carry the callId on every line about the call, from placement to the last push', async () => {
    // Bob uninstalled the app: FCM answers UNREGISTERED for his token.
    fcm.unregister('demo-token-bob');
    const push = new FcmPushSender({
      messaging: firebase.messaging,
      log: logger,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    const cp = await ControlPlaneHarness.start({
      redisUrl: redisPods.server.url,
      logger,
      pushTo: push,
      placement: new RedisPlacement(redisPods.redis, { log: logger }),
    });
    try {
      await redisPods.registry.publish(fakePodRecord('sfu-a'));
      const started = await cp.request('POST', '/v1/calls', {
        as: '1',
        body: { conversationId: 'team-alpha' },
      });
      expect(started.status).toBe(201);
      const { callId } = started.body as { callId: string };
      expect((await cp.request('POST', '/v1/calls/team-alpha/decline', { as: '2' })).status).toBe(204);
      // The pod reports as it does: Alice entered and left, then the room emptied.
      const device = { callId, userId: '1', socketId: 'alice-socket' };
      for (const change of ['joined', 'left'])
        expect(
          (
            await cp.request('POST', `/internal/v1/calls/team-alpha/participants/${change}`, {
              asPod: 'sfu-a',
              body: device,
            })
          ).status,
        ).toBe(204);
      const ended = await cp.request('POST', '/internal/v1/calls/team-alpha/ended', {
        asPod: 'sfu-a',
        body: { callId },
      });
      expect(ended.status).toBe(204);
      await push.idle();

      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'call placed on pod',
          'call started',
          'member declined the call',
          'FCM rejected some pushes',
          'push batch done',
          'call ended',
        ]),
      );
      const aboutTheCall = lines.filter(
        (l) =>
          l.conversationId !== undefined ||
          ['placement', 'fcm-push', 'notifier'].includes(String(l.component)),
      );
      expect(aboutTheCall.length).toBeGreaterThan(6);
      for (const line of aboutTheCall)
        expect(line, line.msg).toMatchObject({ callId, conversationId: 'team-alpha' });
      expect(linesRepeating(['callId', 'conversationId'])).toEqual([]);
    } finally {
      await push.idle();
      await cp.close();
    }
  });
});

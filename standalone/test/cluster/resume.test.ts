import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consume, enterCall, produce } from '../support/media-fixtures.ts';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, startCluster } from './support/cluster.ts';

/**
 * Resume on a real pod process (sfu-worker/src/main.ts: Redis adapter,
 * handshake tokens, the control plane's call state): a device whose
 * connection dropped takes its participant back from a new socket; one that
 * does not come back is removed once the pod's grace (3 s here) has passed.
 */

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ pods: ['sfu-a'] });
}, 60_000);
afterAll(() => cluster?.stop());

async function device(userId: string): Promise<TestClient> {
  const pod = cluster.pods.get('sfu-a');
  if (!pod) throw new Error('no pod');
  return TestClient.joined(pod.url, userId, { path: pod.path, token: await cluster.token(userId) });
}

async function dropConnection(client: TestClient): Promise<void> {
  const gone = client.disconnected();
  client.socket.io.engine.close();
  await gone;
}

describe('resume on a real pod', () => {
  it('gives a dropped device its participant back, and removes it after the grace when it does not come back', async () => {
    const started = await cluster.api('1', 'POST', '/v1/calls', {
      conversationId: 'team-alpha',
      callType: 'video',
    });
    expect(started.status).toBe(201);
    expect((await cluster.api('2', 'POST', '/v1/calls/team-alpha/join')).status).toBe(200);
    const alice = await enterCall(await device('1'), 'team-alpha');
    const bob = await enterCall(await device('2'), 'team-alpha');
    const clients = [alice.client, bob.client];
    try {
      const bobsAudio = await produce(bob, 'audio');
      await alice.client.waitFor('newProducer', (p) => p.producerId === bobsAudio);

      await dropConnection(bob.client);
      const back = await device('2');
      clients.push(back);
      const resumed = await back.request('resume', { resumeToken: bob.resumeToken });
      expect(resumed).toEqual({ conversationId: 'team-alpha', resumeToken: expect.any(String) });
      expect(await consume(alice, bobsAudio)).toMatchObject({ producerId: bobsAudio });
      const bobsVideo = await produce({ ...bob, client: back }, 'video');
      expect(await alice.client.waitFor('newProducer', (p) => p.producerId === bobsVideo)).toMatchObject({
        socketId: bob.client.id,
      });
      await alice.client.settle();
      expect(alice.client.received('participantLeft')).toEqual([]);

      // Dropped again, and not back: removed after the grace, under the socketId he entered with.
      await dropConnection(back);
      expect(await alice.client.waitFor('participantLeft', () => true, 15_000)).toEqual({
        socketId: bob.client.id,
      });
      expect((await alice.client.request('getProducers')).producers).toEqual([]);
      const late = await device('2');
      clients.push(late);
      expect(await late.request('resume', { resumeToken: resumed.resumeToken })).toEqual({
        error: 'Resume credential unknown or expired',
      });
    } finally {
      for (const client of clients) client.close();
    }
  });
});

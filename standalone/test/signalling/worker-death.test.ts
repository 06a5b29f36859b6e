import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { enterCall, produce } from '../support/media-fixtures.ts';
import { TestClient } from '../support/test-client.ts';
import { startTestServer } from '../support/test-server.ts';

let server: RunningServer;
// Longer than a replacement worker takes to start on a loaded machine (it took 1.5 s here).
const rejoinGraceMs = 3_000;

beforeAll(async () => {
  server = await startTestServer({ config: { rejoinGraceMs } });
});
afterAll(() => server.close());

async function killWorker(): Promise<number | undefined> {
  const dead = server.media.workers[0];
  const replaced = new Promise((resolve) => server.media.once('workerReplaced', resolve));
  process.kill(dead?.pid ?? 0, 'SIGKILL');
  await replaced;
  return dead?.pid;
}

describe('a mediasoup worker that dies', () => {
  it('is replaced, and the devices in its calls are told to rejoin; a rejoined call is not ended', async () => {
    const alice = await enterCall(await TestClient.joined(server.url, '1'), 'team-alpha');
    const bob = await enterCall(await TestClient.joined(server.url, '2'), 'team-alpha');
    const dave = await TestClient.joined(server.url, '4');
    await produce(alice, 'audio');

    const deadPid = await killWorker();
    expect(server.media.workers[0]?.pid).not.toBe(deadPid);
    for (const device of [alice.client, bob.client]) {
      expect(await device.waitFor('callInterrupted')).toEqual({
        conversationId: 'team-alpha',
        reason: 'media-worker-died',
      });
    }
    // The devices were forgotten: media requests need a new createRoom, which works on the new worker.
    expect(await alice.client.request('getProducers')).toEqual({ error: 'Participant not found' });
    const again = await enterCall(alice.client, 'team-alpha');
    expect(await produce(again, 'video')).toEqual(expect.any(String));

    // Past the grace period: the call went on, so members never heard it end.
    await new Promise((resolve) => setTimeout(resolve, rejoinGraceMs * 2));
    await dave.settle();
    expect(dave.received('group_call_ended')).toEqual([]);
    for (const client of [alice.client, bob.client, dave]) client.close();
  });

  it('ends the call for its members when nobody rejoins within the grace period', async () => {
    const alice = await enterCall(await TestClient.joined(server.url, '1'), 'team-alpha');
    const dave = await TestClient.joined(server.url, '4');
    await killWorker();
    await alice.client.waitFor('callInterrupted');
    expect(await dave.waitFor('group_call_ended')).toEqual({
      conversationId: 'team-alpha',
      callId: expect.any(String),
    });
    for (const client of [alice.client, dave]) client.close();
  });
});

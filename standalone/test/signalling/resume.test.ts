import { describe, expect, it } from 'vitest';
import { consume, enterCall, type InCall, produce } from '../support/media-fixtures.ts';
import { TestClient } from '../support/test-client.ts';
import { useTestServer } from '../support/test-server.ts';

/**
 * Resume after a dropped signalling connection (additive `resume
 * {resumeToken}`): a device whose socket drops without leaving is held in
 * its call for a grace period; a new socket presenting the resume credential
 * from its createRoom answer gets the same participant back (transports,
 * producers, consumers, and the socketId the others know it by), and the
 * others never hear participantLeft. After the grace it is removed as before.
 */

const graceMs = 4_000;
const fixture = useTestServer({ config: { resumeGraceMs: graceMs } });

/** Alice and Bob in one call, Bob sending audio; Bob's createRoom answer carried his resume credential. */
async function aliceAndBob(): Promise<{ alice: InCall; bob: InCall; bobsToken: string; bobsAudio: string }> {
  const alice = await enterCall(await fixture.joined('1'), 'team-alpha');
  const bob = await enterCall(await fixture.joined('2'), 'team-alpha');
  const bobsToken = bob.resumeToken;
  expect(bobsToken).toMatch(/^[\w-]{32,}$/);
  if (!bobsToken) throw new Error('no resume credential in the createRoom answer');
  const bobsAudio = await produce(bob, 'audio');
  await alice.client.waitFor('newProducer', (p) => p.producerId === bobsAudio);
  return { alice, bob, bobsToken, bobsAudio };
}

/** The network drops Bob's connection: the server sees its transport close, not a leave. */
async function dropConnection(client: TestClient): Promise<void> {
  const gone = client.disconnected();
  client.socket.io.engine.close();
  await gone;
}

describe('resume after a dropped connection', () => {
  it('gives the device its participant back on a new socket; the others see nothing change', async () => {
    const { alice, bob, bobsToken, bobsAudio } = await aliceAndBob();
    const alicesVideo = await produce(alice, 'video');
    const bobsConsumer = await consume(bob, alicesVideo);
    expect(bobsConsumer.id).toEqual(expect.any(String));

    await dropConnection(bob.client);
    const back = await fixture.joined('2');
    const resumed = await back.request('resume', { resumeToken: bobsToken });
    expect(resumed).toEqual({ conversationId: 'team-alpha', resumeToken: expect.any(String) });
    // Each credential is used once: the answer carries the next one.
    expect(resumed.resumeToken).not.toBe(bobsToken);

    // Bob's transports, producer and consumer are still his.
    const again = { ...bob, client: back };
    expect(await back.request('resumeConsumer', { consumerId: bobsConsumer.id })).toEqual({ success: true });
    const bobsVideo = await produce(again, 'video');
    // The others know him by the socketId he entered with.
    expect(await alice.client.waitFor('newProducer', (p) => p.producerId === bobsVideo)).toMatchObject({
      socketId: bob.client.id,
    });
    const { producers } = await alice.client.request('getProducers');
    expect(producers.map((p: { id: string; socketId: string }) => [p.id, p.socketId]).sort()).toEqual(
      [
        [bobsAudio, bob.client.id],
        [bobsVideo, bob.client.id],
      ].sort(),
    );
    expect(await consume(alice, bobsAudio)).toMatchObject({ producerId: bobsAudio });
    expect((await back.request('getProducers')).producers.map((p: { id: string }) => p.id)).toEqual([
      alicesVideo,
    ]);
    await alice.client.settle();
    expect(alice.client.received('participantLeft')).toEqual([]);

    // Leaving from the new socket is the participant leaving, under its first socketId.
    back.emit('leaveRoom');
    expect(await alice.client.waitFor('participantLeft')).toEqual({ socketId: bob.client.id });
  });

  it('takes the participant over from a socket the server still thinks is connected', async () => {
    const { alice, bob, bobsToken, bobsAudio } = await aliceAndBob();
    const back = await fixture.joined('2');
    expect(await back.request('resume', { resumeToken: bobsToken })).toMatchObject({
      conversationId: 'team-alpha',
    });
    // The stale socket is closed by the server, and its close is no leave.
    expect(await bob.client.disconnected()).toBe('io server disconnect');
    await alice.client.settle();
    expect(alice.client.received('participantLeft')).toEqual([]);
    expect(await consume(alice, bobsAudio)).toMatchObject({ producerId: bobsAudio });
  });

  it('removes a device that does not come back within the grace period, as before', async () => {
    const { alice, bob, bobsToken } = await aliceAndBob();
    const droppedAt = Date.now();
    await dropConnection(bob.client);
    expect(await alice.client.waitFor('participantLeft', () => true, graceMs + 10_000)).toEqual({
      socketId: bob.client.id,
    });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(graceMs - 100);
    expect((await alice.client.request('getProducers')).producers).toEqual([]);

    const late = await fixture.joined('2');
    expect(await late.request('resume', { resumeToken: bobsToken })).toEqual({
      error: 'Resume credential unknown or expired',
    });
  });

  it("refuses another user's credential, an unknown one, and a socket that has not joined", async () => {
    const { alice, bob, bobsToken, bobsAudio } = await aliceAndBob();
    await dropConnection(bob.client);

    const carol = await fixture.joined('3');
    expect(await carol.request('resume', { resumeToken: bobsToken })).toEqual({
      error: 'This resume credential belongs to another user',
    });
    expect(await carol.request('resume', { resumeToken: 'x'.repeat(43) })).toEqual({
      error: 'Resume credential unknown or expired',
    });
    expect(await carol.request('resume', {})).toMatchObject({
      error: expect.stringMatching(/^Invalid payload: resumeToken/),
    });
    const stranger = fixture.track(await TestClient.connect(fixture.server.url));
    expect(await stranger.request('resume', { resumeToken: bobsToken })).toEqual({
      error: 'Join first with your user ID',
    });

    // Refusals do not use up Bob's credential.
    const back = await fixture.joined('2');
    expect(await back.request('resume', { resumeToken: bobsToken })).toMatchObject({
      conversationId: 'team-alpha',
    });
    expect(await consume(alice, bobsAudio)).toMatchObject({ producerId: bobsAudio });
    await alice.client.settle();
    expect(alice.client.received('participantLeft')).toEqual([]);
  });

  it('keeps the call of a device alone in it while it is held: the room is not empty', async () => {
    const alice = await enterCall(await fixture.joined('1'), 'team-alpha');
    const alicesAudio = await produce(alice, 'audio');
    const bob = await fixture.joined('2');
    await dropConnection(alice.client);
    // Away for three times the empty-room grace (300 ms here): that is the condition under test.
    await new Promise((resolve) => setTimeout(resolve, 900));
    const back = await fixture.joined('1');
    expect(await back.request('resume', { resumeToken: alice.resumeToken })).toMatchObject({
      conversationId: 'team-alpha',
    });
    const joined = await enterCall(bob, 'team-alpha');
    expect((await bob.request('getProducers')).producers.map((p: { id: string }) => p.id)).toEqual([
      alicesAudio,
    ]);
    expect(await consume(joined, alicesAudio)).toMatchObject({ producerId: alicesAudio });
    expect(bob.received('group_call_ended')).toEqual([]);
  });

  it('ends at once for a device that leaves on purpose', async () => {
    const { alice, bob } = await aliceAndBob();
    const leftAt = Date.now();
    bob.client.close();
    expect(await alice.client.waitFor('participantLeft')).toEqual({ socketId: bob.client.id });
    expect(Date.now() - leftAt).toBeLessThan(graceMs);
  });
});

describe('a dropped device that enters again the seed way (createRoom, no resume)', () => {
  const oneDevice = useTestServer({
    config: { resumeGraceMs: 60_000, limits: { maxDevicesPerUserInCall: 1 } },
  });

  it('replaces its held self instead of being refused as a second device', async () => {
    const alice = await enterCall(await oneDevice.joined('1'), 'team-alpha');
    const bob = await enterCall(await oneDevice.joined('2'), 'team-alpha');
    const bobsAudio = await produce(bob, 'audio');
    await alice.client.waitFor('newProducer', (p) => p.producerId === bobsAudio);

    await dropConnection(bob.client);
    const again = await enterCall(await oneDevice.joined('2'), 'team-alpha');
    // The held participant is removed now (not a minute later), and the new one is in.
    expect(await alice.client.waitFor('participantLeft')).toEqual({ socketId: bob.client.id });
    expect(await produce(again, 'audio')).toEqual(expect.any(String));
    expect(
      (await alice.client.request('getProducers')).producers.map((p: { socketId: string }) => p.socketId),
    ).toEqual([again.client.id]);
  });
});

import { describe, expect, it } from 'vitest';
import { aliceAndBobInCall, useLabCall } from './support/lab-call.ts';
import { signallingPort } from './support/lab-media-server.ts';
import type { LabParticipant, ReceivedMedia } from './support/lab-participant.ts';
import { type LabTurnServer, startLabTurnServer } from './support/lab-turn-server.ts';
import { framesPerSecond, waitForMedia } from './support/media-progress.ts';

/**
 * Real clients on real networks, in a network lab on this machine (root):
 * the media server, coturn and headless Chromium participants each in a
 * network namespace of their own, real mediasoup, the client SDK. One file,
 * so that at most two Chromium participants run at a time.
 */

const newCall = useLabCall();

/**
 * A phone that moves to another network mid-call (a new address, the old
 * one gone): the client SDK restarts ICE and media flows again both ways,
 * without leaving the call. Real Chromium in a network lab, real mediasoup.
 */

/** Waits until `participant` decodes `frames` more video frames than in `from`. */
const decodesMore = (participant: LabParticipant, from: ReceivedMedia, frames: number, timeoutMs: number) =>
  waitForMedia(participant, (media) => media.frames >= from.frames + frames, {
    timeoutMs,
    what: `${frames} more video frames decoded`,
  });

describe('a participant whose address changes mid-call', { timeout: 120_000 }, () => {
  it("decodes the others' video again within 5 s, and they decode it", async () => {
    const call = await newCall(['alice', 'bob']);
    const [alice, bob] = await aliceAndBobInCall(call);
    await decodesMore(alice, { frames: 0, videoBytes: 0, audioBytes: 0, frameHeight: 0 }, 30, 30_000);
    await decodesMore(bob, { frames: 0, videoBytes: 0, audioBytes: 0, frameHeight: 0 }, 30, 30_000);

    const oldAddress = bob.node.address;
    await call.lab.changeAddress(bob.node);
    const movedAt = Date.now();
    // Frames still in flight at the move do not count: only what is decoded a second later.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const [aliceAfter, bobAfter] = [await alice.received(), await bob.received()];
    const within = 5_000 - (Date.now() - movedAt);
    const [bobBack, aliceBack] = await Promise.allSettled([
      decodesMore(bob, bobAfter, 10, within).then(() => Date.now() - movedAt),
      decodesMore(alice, aliceAfter, 10, within).then(() => Date.now() - movedAt),
    ]);
    console.log(
      `address change ${oldAddress} -> ${bob.node.address}: bob decodes again after ${
        bobBack.status === 'fulfilled' ? `${bobBack.value} ms` : 'more than 5 s'
      }, alice decodes bob again after ${aliceBack.status === 'fulfilled' ? `${aliceBack.value} ms` : 'more than 5 s'}`,
    );
    expect(bobBack.status, "bob decodes alice's video again").toBe('fulfilled');
    expect(aliceBack.status, "alice decodes bob's video again").toBe('fulfilled');
    // The signalling socket's TCP connection left with the old address: until Socket.IO notices
    // (its ping timeout), requests such as restartIce go unanswered. Shown, not asserted.
    console.log(`bob's SDK reported: ${JSON.stringify(await bob.errors())}`);
  });
});

/**
 * 5 % random loss both ways on one participant's link (nftables drops in the
 * lab's router): video keeps decoding both ways, repaired by NACK and PLI, at
 * more than half the frame rate of the same call without loss.
 */

const measureMs = 8_000;

// Frame rates are measured beside other browser tests on a loaded 2-core machine: one
// starved run is measured again rather than failing the suite (each attempt prints its figures).
describe('a call with 5 % random loss on one link', { timeout: 180_000, retry: 2 }, () => {
  it('keeps decoding video both ways at more than half the loss-free frame rate', async () => {
    const call = await newCall(['alice', 'bob']);
    const [alice, bob] = await aliceAndBobInCall(call);
    for (const participant of [alice, bob])
      await waitForMedia(participant, (media) => media.frames > 60, {
        timeoutMs: 30_000,
        what: '60 frames decoded',
      });

    const measure = async () => {
      const [a, b] = await Promise.all([framesPerSecond(alice, measureMs), framesPerSecond(bob, measureMs)]);
      return { alice: a, bob: b };
    };
    const clean = await measure();
    await call.lab.setLoss(bob.node, { up: 5, down: 5 });
    const lossy = await measure();
    const dropped = call.lab.droppedPackets(bob.node);
    console.log(
      `frames decoded per second, loss-free -> 5 % loss both ways on bob's link (${dropped} packets dropped): ` +
        `alice ${clean.alice.toFixed(1)} -> ${lossy.alice.toFixed(1)}, bob ${clean.bob.toFixed(1)} -> ${lossy.bob.toFixed(1)}`,
    );
    expect(dropped).toBeGreaterThan(0);
    expect(clean.alice).toBeGreaterThan(5);
    expect(clean.bob).toBeGreaterThan(5);
    expect(lossy.alice).toBeGreaterThan(clean.alice / 2);
    expect(lossy.bob).toBeGreaterThan(clean.bob / 2);
  });
});

/**
 * A participant whose network blocks UDP and the media ports (a corporate or
 * hotel network) reaches only the TURN server and the signalling port: media
 * flows through a real coturn, with the short-lived credentials the admission
 * answer carried.
 */

const secret = 'lab-turn-shared-secret';

describe('a participant that can reach only the TURN server', { timeout: 180_000 }, () => {
  it('exchanges media through coturn with the credentials from its admission', async () => {
    // The TURN node goes first so that the media server can be told its address.
    let turn: LabTurnServer | undefined;
    const call = await newCall(['alice', 'bob'], {
      prepare: async (lab, cleanup) => {
        const started = await startLabTurnServer(await lab.addNode('turn'), secret);
        cleanup(() => started.stop());
        turn = started;
        return { TURN_URLS: started.urls.join(','), TURN_SECRET: secret };
      },
    });
    if (!turn) throw new Error('no TURN server');
    const [alice, bob] = call.participants;
    if (!alice || !bob) throw new Error('two participants expected');
    // Bob's network: no UDP to the media server, and TCP only to its signalling port.
    await call.lab.block(bob.node, { protocol: 'udp', to: call.sfuNode });
    await call.lab.block(bob.node, { protocol: 'tcp', to: call.sfuNode, notPorts: String(signallingPort) });

    await aliceAndBobInCall(call);
    await waitForMedia(bob, (m) => m.frames > 30 && m.audioBytes > 0, {
      timeoutMs: 45_000,
      what: 'media from alice',
    });
    await waitForMedia(alice, (m) => m.frames > 30 && m.audioBytes > 0, {
      timeoutMs: 45_000,
      what: 'media from bob',
    });

    // Bob's direct attempts were dropped, and coturn relayed for Bob's own credential.
    expect(call.lab.droppedPackets(bob.node)).toBeGreaterThan(0);
    expect(turn.process.output()).toMatch(/user <\d+:2>: .*ALLOCATE processed, success/);
    console.log(`bob received through TURN: ${JSON.stringify(await bob.received())}`);
  });
});

/**
 * A receiver on a ~400 kbit/s downlink (tbf on its link in the lab's
 * router) while the sender's 1280×720 camera goes out as three simulcast
 * layers: mediasoup's bandwidth estimation forwards a layer that fits, and
 * the receiver keeps decoding video instead of freezing on a stream its
 * link cannot carry.
 */

const hd = { width: 1280, height: 720, frameRate: 15 };

describe('a receiver whose downlink is limited to 400 kbit/s', { timeout: 240_000, retry: 1 }, () => {
  it("keeps decoding the sender's video (at a layer that fits)", async () => {
    const call = await newCall(['alice', 'bob']);
    const [alice, bob] = call.participants;
    if (!alice || !bob) throw new Error('two participants expected');
    await alice.join('1', 'team-alpha', true, hd);
    await bob.join('2', 'team-alpha');
    const clear = await waitForMedia(bob, (media) => media.frames > 60 && media.frameHeight === 720, {
      timeoutMs: 60_000,
      what: "60 frames of alice's 720p layer decoded",
    });
    const clearFps = await framesPerSecond(bob, measureMs);

    await call.lab.limitBandwidth(bob.node, { upKbit: 10_000, downKbit: 400 });
    // The estimate needs a moment to find the limit: measure once 30 more frames came through.
    const settled = await waitForMedia(bob, (media) => media.frames > clear.frames + 30, {
      timeoutMs: 60_000,
      what: '30 frames decoded behind the limit',
    });
    const startedAt = Date.now();
    const limitedFps = await framesPerSecond(bob, measureMs);
    const after = await bob.received();
    const kbps = ((after.videoBytes - settled.videoBytes) * 8) / (Date.now() - startedAt);
    console.log(
      `bob decodes alice's camera: ${clearFps.toFixed(1)} fps at ${clear.frameHeight}p without a limit -> ` +
        `${limitedFps.toFixed(1)} fps at ${after.frameHeight}p behind 400 kbit/s (video ${kbps.toFixed(0)} kbit/s received)`,
    );
    // The layer is printed, not asserted: the fake camera's simple picture may fit 400 kbit/s even at 720p.
    // Sent as one layer (before simulcast) it froze here at about 2 fps.
    expect(limitedFps).toBeGreaterThan(5);
  });
});

/**
 * A participant whose signalling connection drops for 10 s (a tunnel, an app
 * in the background): its TCP connection to the signalling port is broken
 * at both ends and refused until the cut ends, while its media path stays.
 * The SDK reconnects and resumes its membership within the pod's grace
 * period: media flows on the same producers and consumers, and the others
 * are never told it left.
 */

const cutMs = 10_000;

describe('a participant whose signalling link is cut for 10 s', { timeout: 180_000 }, () => {
  it('comes back with media flowing, and the others never got participantLeft', async () => {
    const call = await newCall(['alice', 'bob']);
    const [alice, bob] = await aliceAndBobInCall(call);
    await decodesMore(alice, { frames: 0, videoBytes: 0, audioBytes: 0, frameHeight: 0 }, 30, 30_000);
    await decodesMore(bob, { frames: 0, videoBytes: 0, audioBytes: 0, frameHeight: 0 }, 30, 30_000);
    const [alicesTracks, bobsTracks] = [await alice.receivedProducers(), await bob.receivedProducers()];

    await call.lab.block(bob.node, {
      protocol: 'tcp',
      to: call.sfuNode,
      ports: String(signallingPort),
      reject: true,
    });
    await call.lab.resetConnections(bob.node, call.sfuNode, signallingPort);
    const cutAt = Date.now();
    console.log(`bob's signalling: ${await bob.connectionEvent('disconnected', 10_000)}`);
    // The cut lasts its 10 s: that is the condition under test, not a wait for an event.
    await new Promise((resolve) => setTimeout(resolve, cutMs - (Date.now() - cutAt)));
    await call.lab.clearImpairments(bob.node);

    await bob.connectionEvent('reconnected', 30_000);
    await bob.inCall(30_000);
    const backAfter = Date.now() - cutAt;
    const [aliceBefore, bobBefore] = [await alice.received(), await bob.received()];
    await decodesMore(alice, aliceBefore, 30, 20_000);
    await decodesMore(bob, bobBefore, 30, 20_000);
    console.log(
      `bob's signalling cut for ${cutMs} ms: back in the call ${backAfter} ms after the cut; ` +
        `bob's SDK reported: ${JSON.stringify(await bob.errors())}`,
    );

    expect(await alice.participantsLeft(), 'participantLeft events alice got').toEqual([]);
    // The same producers and consumers as before the cut: resumed, not rejoined.
    expect(await alice.receivedProducers()).toEqual(alicesTracks);
    expect(await bob.receivedProducers()).toEqual(bobsTracks);
  });
});

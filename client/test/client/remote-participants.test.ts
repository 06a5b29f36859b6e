import type { types } from 'mediasoup-client';
import { describe, expect, it } from 'vitest';
import { RemoteParticipants, type RemoteProducer } from '../../src/client/remote-participants.ts';

const alice = { userId: '1', name: 'Alice', avatar: null };
const aliceAudio: RemoteProducer = {
  producerId: 'a1',
  kind: 'audio',
  socketId: 'sa',
  participantInfo: alice,
};
const aliceVideo: RemoteProducer = {
  producerId: 'a2',
  kind: 'video',
  socketId: 'sa',
  participantInfo: alice,
};
const bobAudio: RemoteProducer = {
  producerId: 'b1',
  kind: 'audio',
  socketId: 'sb',
  participantInfo: undefined,
};

function fakeConsumer() {
  const consumer = { closed: false, close: () => (consumer.closed = true) };
  return consumer as typeof consumer & types.Consumer;
}

describe('RemoteParticipants', () => {
  it('claims each producer once, whoever announces it', () => {
    const remotes = new RemoteParticipants();
    expect(remotes.claim(aliceAudio)).toBeDefined();
    expect(remotes.claim(aliceAudio)).toBeUndefined();
  });

  it('refuses to attach a consumer whose participant left while it was being consumed', () => {
    const remotes = new RemoteParticipants();
    const audio = remotes.claim(aliceAudio);
    const video = remotes.claim(aliceVideo);
    if (!audio || !video) throw new Error('claims failed');
    const audioConsumer = fakeConsumer();
    expect(remotes.attach(audio, audioConsumer)).toBe(true);

    expect(remotes.dropParticipant('sa')).toEqual(alice);
    expect(audioConsumer.closed).toBe(true);
    expect(remotes.attach(video, fakeConsumer())).toBe(false);
    expect(remotes.received()).toEqual([]);
  });

  it('frees a failed claim for a later retry', () => {
    const remotes = new RemoteParticipants();
    const claim = remotes.claim(bobAudio);
    if (!claim) throw new Error('claim failed');
    remotes.release(claim);
    expect(remotes.claim(bobAudio)).toBeDefined();
  });

  it('drops single tracks and everything, closing consumers', () => {
    const remotes = new RemoteParticipants();
    const consumers = [aliceAudio, aliceVideo, bobAudio].map((producer) => {
      const claim = remotes.claim(producer);
      const consumer = fakeConsumer();
      if (claim) remotes.attach(claim, consumer);
      return consumer;
    });
    expect(remotes.dropTrack('a2')?.kind).toBe('video');
    expect(remotes.dropTrack('a2')).toBeUndefined();
    expect(remotes.received().map((entry) => entry.producerId)).toEqual(['a1', 'b1']);

    expect(remotes.dropAll()).toEqual(
      new Map([
        ['sa', alice],
        ['sb', undefined],
      ]),
    );
    expect(consumers.every((consumer) => consumer.closed)).toBe(true);
    expect(remotes.received()).toEqual([]);
  });
});

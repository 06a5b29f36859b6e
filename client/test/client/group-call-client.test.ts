import { testFakeParameters } from 'mediasoup-client';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CallState,
  ControlPlaneError,
  GroupCallClient,
  type GroupCallClientEvents,
  JoinCancelledError,
  SignallingError,
} from '../../src/client/index.ts';
import type { ProducerListItem } from '../../src/protocol/index.ts';
import { answerLikeServer, createFakeDevice, FakeServerSocket } from './fake-server-socket.ts';
import { fakeTrack } from './fake-track.ts';

const alice = { userId: '1', name: 'Alice', avatar: null };
const bob = { userId: '2', name: 'Bob', avatar: 'https://example.test/bob.png' };

let server: FakeServerSocket;
let client: GroupCallClient;
let producers: ProducerListItem[];
let states: CallState[];

beforeEach(() => {
  server = new FakeServerSocket();
  producers = [
    { id: 'alice-audio', kind: 'audio', socketId: 'alice-socket', participantInfo: alice },
    { id: 'alice-video', kind: 'video', socketId: 'alice-socket', participantInfo: alice },
    { id: 'own-audio', kind: 'audio', socketId: server.id, participantInfo: bob },
  ];
  answerLikeServer(server, () => producers);
  client = new GroupCallClient(server.asSocket(), { createDevice: createFakeDevice });
  states = [];
  client.on('stateChange', ({ state }) => states.push(state));
  client.join('2');
});

/** Records every payload of one client event. */
function record<K extends keyof GroupCallClientEvents>(event: K): GroupCallClientEvents[K][] {
  const seen: GroupCallClientEvents[K][] = [];
  client.on(event, (payload) => seen.push(payload));
  return seen;
}

const roomAnswer = () => ({ rtpCapabilities: testFakeParameters.generateRouterRtpCapabilities() });

/** A promise for an answer the test gives later. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('GroupCallClient', () => {
  it('joins a call the way the guide prescribes and receives everyone but itself', async () => {
    const tracks = record('trackAdded');
    await client.joinCall('team-alpha', { ticket: 'signed-ticket' });

    expect(server.events()).toEqual([
      'join',
      'createRoom',
      'createTransport',
      'createTransport',
      'getProducers',
      'consume',
      'consume',
      'connectTransport', // the receive transport connects on its first consumer
      'resumeConsumer',
      'resumeConsumer',
    ]);
    expect(server.sent[1]?.payload).toEqual({ roomId: 'team-alpha', ticket: 'signed-ticket' });
    expect(server.sent.filter((m) => m.event === 'createTransport').map((m) => m.payload)).toEqual([
      { type: 'send' },
      { type: 'recv' },
    ]);
    expect(
      tracks.map(({ socketId, kind, participantInfo }) => ({ socketId, kind, participantInfo })),
    ).toEqual([
      { socketId: 'alice-socket', kind: 'audio', participantInfo: alice },
      { socketId: 'alice-socket', kind: 'video', participantInfo: alice },
    ]);
    expect(states).toEqual(['joining', 'in-call']);
    expect(client.conversationId).toBe('team-alpha');
  });

  it('asks for both transports at once and subscribes without waiting for its own produce', async () => {
    // Each of these waits for its ack before the next request on the sequential path;
    // a join's time to the first remote frame is then the sum of all their round trips.
    const transportAnswers: Array<ReturnType<typeof deferred<unknown>>> = [];
    server.answer('createTransport', () => {
      const answer = deferred<unknown>();
      transportAnswers.push(answer);
      return answer.promise;
    });
    const produceAnswer = deferred<unknown>();
    server.answer('produce', () => produceAnswer.promise);
    const tracks = record('trackAdded');
    const joining = client.joinCall('team-alpha', { tracks: [fakeTrack('audio')] });

    await expect.poll(() => server.events().filter((e) => e === 'createTransport').length).toBe(2);
    for (const answer of transportAnswers)
      answer.resolve(testFakeParameters.generateTransportRemoteParameters());
    await expect.poll(() => server.events()).toContain('produce');
    // The others are received while our produce is still unanswered.
    await expect.poll(() => tracks.length).toBe(2);
    expect(server.events()).toContain('getProducers');

    produceAnswer.resolve({ id: 'my-audio' });
    await joining;
    expect(states).toEqual(['joining', 'in-call']);
  });

  it('receives cameras at the layer of the tiles the app shows them in, screens at full size', async () => {
    producers.push({ id: 'alice-screen-video', kind: 'video', socketId: 'alice-socket', source: 'screen' });
    producers[1] = { ...producers[1], source: 'camera' } as ProducerListItem;
    await client.joinCall('team-alpha', { cameraTileHeight: 180 });

    const consumed = server.sent.filter((m) => m.event === 'consume').map((m) => m.payload);
    const layersOf = (producerId: string) =>
      (
        consumed.find((p) => (p as { producerId: string }).producerId === producerId) as Record<
          string,
          unknown
        >
      )?.preferredLayers;
    // A 180 px tile takes the lowest of the camera's three layers (320x180 of 1280x720).
    expect(layersOf('alice-video')).toEqual({ spatialLayer: 0 });
    expect(layersOf('alice-audio')).toBeUndefined();
    expect(layersOf('alice-screen-video')).toBeUndefined();
  });

  it('initiates as the joined user', () => {
    client.initiate({ conversationId: 'team-alpha', callType: 'audio' });
    expect(server.sent.at(-1)).toEqual({
      event: 'group_call_initiate',
      payload: { callerId: '2', conversationId: 'team-alpha', callType: 'audio' },
    });
  });

  it('consumes producers announced during the call once, and drops what the server takes away', async () => {
    await client.joinCall('team-alpha');
    const tracks = record('trackAdded');
    const removed = record('trackRemoved');
    const left = record('participantLeft');

    const carolVideo = { producerId: 'carol-video', kind: 'video', socketId: 'carol-socket' };
    server.serverEmit('newProducer', carolVideo);
    server.serverEmit('newProducer', carolVideo);
    await expect.poll(() => tracks.length).toBe(1);
    expect(tracks[0]).toMatchObject({ socketId: 'carol-socket', kind: 'video', participantInfo: undefined });

    server.serverEmit('consumerClosed', { consumerId: 'whatever', producerId: 'alice-video' });
    expect(removed).toEqual([{ socketId: 'alice-socket', producerId: 'alice-video', kind: 'video' }]);

    server.serverEmit('participantLeft', { socketId: 'alice-socket' });
    expect(left).toEqual([{ socketId: 'alice-socket', participantInfo: alice }]);
    expect((await client.getReceiveStats()).map((s) => s.producerId)).toEqual(['carol-video']);
  });

  it('rejects a join the server refuses, with the server error string', async () => {
    server.answer('createRoom', () => ({ error: 'You are not in this group' }));
    const joining = client.joinCall('team-beta');
    await expect(joining).rejects.toThrow(SignallingError);
    await expect(joining).rejects.toThrow('You are not in this group');
    expect(states).toEqual(['joining', 'idle']);
  });

  it('gives up a join when the user leaves, and leaves the room if the server let it in meanwhile', async () => {
    const createRoom = deferred<unknown>();
    server.answer('createRoom', () => createRoom.promise);
    const joining = client.joinCall('team-alpha');
    await expect.poll(() => server.events()).toContain('createRoom');

    client.leave();
    await expect(joining).rejects.toThrow(JoinCancelledError);
    expect(states).toEqual(['joining', 'idle']);

    createRoom.resolve({ rtpCapabilities: {} });
    await expect.poll(() => server.events().at(-1)).toBe('leaveRoom');
  });

  it('never lets an abandoned join leave the room after the next join entered it', async () => {
    const firstCreateRoom = deferred<unknown>();
    let createRooms = 0;
    server.answer('createRoom', () => (++createRooms === 1 ? firstCreateRoom.promise : roomAnswer()));
    const abandoned = client.joinCall('team-alpha');
    await expect.poll(() => server.events()).toContain('createRoom');
    client.leave();
    await expect(abandoned).rejects.toThrow(JoinCancelledError);

    const joining = client.joinCall('team-alpha');
    firstCreateRoom.resolve(roomAnswer());
    await joining;
    expect(server.events().filter((event) => event === 'createRoom' || event === 'leaveRoom')).toEqual([
      'createRoom',
      'leaveRoom',
      'createRoom',
    ]);
    expect(client.state).toBe('in-call');
  });

  it('ends a join when the call ends, as the guide says', async () => {
    const createRoom = deferred<unknown>();
    server.answer('createRoom', () => createRoom.promise);
    const ended = record('callEnded');
    const joining = client.joinCall('team-alpha');

    server.serverEmit('group_call_ended', { conversationId: 'team-alpha' });
    await expect(joining).rejects.toThrow('The call ended');
    expect(ended).toEqual([{ conversationId: 'team-alpha' }]);
    expect(client.state).toBe('idle');
  });

  it('rejoins an interrupted call on its own, ignoring the end of the old room meanwhile', async () => {
    await client.joinCall('team-alpha');
    const left = record('participantLeft');
    const tracks = record('trackAdded');
    const ended = record('callEnded');
    const createRoom = deferred<unknown>();
    server.answer('createRoom', () => createRoom.promise);

    server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'media-worker-died' });
    expect(client.state).toBe('rejoining');
    expect(left).toEqual([{ socketId: 'alice-socket', participantInfo: alice }]);
    server.serverEmit('group_call_ended', { conversationId: 'team-alpha' });
    expect(ended).toEqual([]);

    createRoom.resolve({
      rtpCapabilities: (await import('mediasoup-client')).testFakeParameters.generateRouterRtpCapabilities(),
    });
    await expect.poll(() => client.state).toBe('in-call');
    expect(tracks.map((t) => t.producerId)).toEqual(['alice-audio', 'alice-video']);
    expect(states).toEqual(['joining', 'in-call', 'rejoining', 'in-call']);
  });

  it('rejoins after a reconnection, registering the user again first', async () => {
    await client.joinCall('team-alpha');
    server.sent.length = 0;
    server.reconnect();
    await expect.poll(() => client.state).toBe('in-call');
    expect(server.events().slice(0, 3)).toEqual(['join', 'leaveRoom', 'createRoom']);
  });

  it('resumes its membership after a reconnection, and catches up on what changed meanwhile', async () => {
    server.answer('createRoom', () => ({ ...roomAnswer(), resumeToken: 'first-token' }));
    const tokens: unknown[] = [];
    server.answer('restartIce', () => ({
      iceParameters: testFakeParameters.generateTransportRemoteParameters().iceParameters,
    }));
    server.answer('resume', (payload) => {
      tokens.push(payload);
      return { conversationId: 'team-alpha', resumeToken: `token-${tokens.length + 1}` };
    });
    await client.joinCall('team-alpha');
    const added = record('trackAdded');
    const removed = record('trackRemoved');
    const left = record('participantLeft');
    server.sent.length = 0;
    // While we were away: Alice stopped her video, Carol came with her audio.
    producers = [
      { id: 'alice-audio', kind: 'audio', socketId: 'alice-socket', participantInfo: alice },
      { id: 'carol-audio', kind: 'audio', socketId: 'carol-socket', participantInfo: undefined },
    ];

    server.reconnect();
    await expect.poll(() => client.state).toBe('in-call');
    await expect.poll(() => server.events().filter((e) => e === 'resumeConsumer').length).toBe(1);
    // The same transports, producers and consumers: no leaveRoom, no createRoom; ICE restarts on both.
    const [restarts, others] = [
      server.events().filter((e) => e === 'restartIce'),
      server.events().filter((e) => e !== 'restartIce'),
    ];
    expect(others).toEqual(['join', 'resume', 'getProducers', 'consume', 'resumeConsumer']);
    expect(restarts).toHaveLength(2);
    expect(tokens).toEqual([{ resumeToken: 'first-token' }]);
    expect(added.map((t) => t.producerId)).toEqual(['carol-audio']);
    expect(removed).toEqual([{ socketId: 'alice-socket', producerId: 'alice-video', kind: 'video' }]);
    expect(left).toEqual([]);
    expect(states).toEqual(['joining', 'in-call', 'rejoining', 'in-call']);

    // The next reconnection presents the credential the resume answered.
    producers = [];
    server.reconnect();
    await expect.poll(() => tokens.length).toBe(2);
    expect(tokens[1]).toEqual({ resumeToken: 'token-2' });
    await expect.poll(() => left.length).toBe(2);
    expect(left.map((l) => l.socketId).sort()).toEqual(['alice-socket', 'carol-socket']);
  });

  it('rejoins when the server no longer holds its membership', async () => {
    server.answer('createRoom', () => ({ ...roomAnswer(), resumeToken: 'first-token' }));
    server.answer('resume', () => ({ error: 'Resume credential unknown or expired' }));
    await client.joinCall('team-alpha');
    server.sent.length = 0;
    server.reconnect();
    await expect.poll(() => server.events().includes('createRoom')).toBe(true);
    await expect.poll(() => client.state).toBe('in-call');
    expect(server.events().slice(0, 4)).toEqual(['join', 'resume', 'leaveRoom', 'createRoom']);
  });

  it('enters with the given ticket and asks the control plane for a fresh one for every rejoin', async () => {
    let renewals = 0;
    const renewTicket = async () => `fresh-ticket-${++renewals}`;
    await client.joinCall('team-alpha', { ticket: 'first-ticket', renewTicket });
    expect(renewals).toBe(0);

    server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'media-worker-died' });
    await expect.poll(() => client.state).toBe('in-call');
    server.reconnect();
    await expect.poll(() => client.state).toBe('in-call');

    const createRooms = server.sent.filter((m) => m.event === 'createRoom').map((m) => m.payload);
    expect(createRooms).toEqual([
      { roomId: 'team-alpha', ticket: 'first-ticket' },
      { roomId: 'team-alpha', ticket: 'fresh-ticket-1' },
      { roomId: 'team-alpha', ticket: 'fresh-ticket-2' },
    ]);
    expect(states).toEqual(['joining', 'in-call', 'rejoining', 'in-call', 'rejoining', 'in-call']);
  });

  it('asks for a ticket on the first join too when none is given, and reuses a ticket it cannot renew', async () => {
    await client.joinCall('team-alpha', { renewTicket: async () => 'asked-for-ticket' });
    client.leave();
    await client.joinCall('team-alpha', { ticket: 'only-ticket' });
    server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'media-worker-died' });
    await expect.poll(() => client.state).toBe('in-call');
    expect(server.sent.filter((m) => m.event === 'createRoom').map((m) => m.payload)).toEqual([
      { roomId: 'team-alpha', ticket: 'asked-for-ticket' },
      { roomId: 'team-alpha', ticket: 'only-ticket' },
      { roomId: 'team-alpha', ticket: 'only-ticket' },
    ]);
  });

  it('ends a rejoin quietly when the control plane says the call is over', async () => {
    const errors = record('error');
    const ended = record('callEnded');
    await client.joinCall('team-alpha', {
      ticket: 'first-ticket',
      renewTicket: async () => {
        throw new ControlPlaneError(404, 'not-found', 'No active call in this conversation');
      },
    });
    server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'server-shutdown' });
    await expect.poll(() => client.state).toBe('idle');
    expect(ended).toEqual([{ conversationId: 'team-alpha' }]);
    expect(errors).toEqual([]);
    expect(server.events().filter((event) => event === 'createRoom')).toHaveLength(1);
  });

  it('gives up a rejoin at once when the control plane refuses the user', async () => {
    const errors = record('error');
    let renewals = 0;
    await client.joinCall('team-alpha', {
      ticket: 'first-ticket',
      renewTicket: async () => {
        renewals += 1;
        throw new ControlPlaneError(403, 'forbidden', 'You are not in this group');
      },
    });
    server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'media-worker-died' });
    await expect.poll(() => client.state).toBe('idle');
    expect(renewals).toBe(1);
    expect(errors).toEqual([{ message: 'Could not rejoin the call: You are not in this group' }]);
  });

  describe('when the call moves to another pod', () => {
    const podB = { url: 'https://media.example.test', path: '/sfu/sfu-b/socket.io' };
    let opened: Array<{ endpoint: unknown; socket: FakeServerSocket }>;
    let mover: GroupCallClient;

    beforeEach(() => {
      opened = [];
      mover = new GroupCallClient(server.asSocket(), {
        createDevice: createFakeDevice,
        openSocket: (endpoint) => {
          const socket = new FakeServerSocket('my-socket-on-b');
          // On pod B, Alice has entered again: a new socket, new producers.
          answerLikeServer(socket, () =>
            producers.map((p) => ({ ...p, id: `${p.id}-on-b`, socketId: `${p.socketId}-on-b` })),
          );
          opened.push({ endpoint, socket });
          return socket.asSocket();
        },
      });
      mover.join('2');
    });

    it('follows it: connects where the control plane says, rejoins with a fresh ticket, closes the old socket', async () => {
      const moved: unknown[] = [];
      mover.on('callMoved', (event) => moved.push(event));
      const seen: string[] = [];
      mover.on('trackAdded', ({ producerId }) => seen.push(`added ${producerId}`));
      mover.on('trackRemoved', ({ producerId }) => seen.push(`removed ${producerId}`));
      mover.on('participantLeft', ({ socketId }) => seen.push(`left ${socketId}`));
      await mover.joinCall('team-alpha', {
        ticket: 'ticket-a',
        renewTicket: async () => ({ ticket: 'ticket-b', endpoint: podB, iceServers: [] }),
      });
      server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'server-shutdown' });
      await expect.poll(() => mover.state).toBe('in-call');

      expect(opened.map((o) => o.endpoint)).toEqual([podB]);
      const onB = opened[0]?.socket;
      if (!onB) throw new Error('no socket opened');
      expect(mover.socket).toBe(onB.asSocket());
      expect(onB.events().slice(0, 2)).toEqual(['join', 'createRoom']);
      expect(onB.sent[0]?.payload).toBe('2');
      expect(onB.sent[1]?.payload).toEqual({ roomId: 'team-alpha', ticket: 'ticket-b' });
      expect(server.disconnected).toBe(true);
      expect(server.events().filter((event) => event === 'createRoom')).toHaveLength(1);
      expect(moved).toEqual([{ conversationId: 'team-alpha', reason: 'server-shutdown', endpoint: podB }]);
      // Alice's old tracks play until hers from pod B arrive; then the old membership is left.
      expect(seen).toEqual([
        'added alice-audio',
        'added alice-video',
        'added alice-audio-on-b',
        'added alice-video-on-b',
        'removed alice-audio',
        'removed alice-video',
        'left alice-socket',
      ]);
      expect(server.events().at(-1)).toBe('leaveRoom');

      // The socket left behind is stale: what it still delivers is not acted on.
      const interrupted = onB.events().length;
      server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'call-moved' });
      expect(mover.state).toBe('in-call');
      expect(onB.events()).toHaveLength(interrupted);
    });

    it('rejoins on its own socket after a media worker died', async () => {
      await mover.joinCall('team-alpha', {
        ticket: 'ticket-a',
        renewTicket: async () => ({ ticket: 'ticket-again', endpoint: podB }),
      });
      server.serverEmit('callInterrupted', { conversationId: 'team-alpha', reason: 'media-worker-died' });
      await expect.poll(() => mover.state).toBe('in-call');
      expect(opened).toEqual([]);
      expect(server.sent.filter((m) => m.event === 'createRoom').map((m) => m.payload)).toEqual([
        { roomId: 'team-alpha', ticket: 'ticket-a' },
        { roomId: 'team-alpha', ticket: 'ticket-again' },
      ]);
    });
  });

  it('reports malformed server events instead of acting on them', () => {
    const errors = record('error');
    const incoming = record('incomingCall');
    server.serverEmit('group_call_incoming', { callerId: '1' });
    expect(incoming).toEqual([]);
    expect(errors).toEqual([{ message: 'Ignored a malformed group_call_incoming event from the server' }]);
  });
});

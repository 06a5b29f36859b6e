import { FakeHandler, testFakeParameters, type types } from 'mediasoup-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { GroupCallClient } from '../../src/client/index.ts';
import { answerLikeServer, createFakeDevice, FakeServerSocket } from './fake-server-socket.ts';
import { fakeTrack } from './fake-track.ts';

/**
 * What a join waits for. Loading a mediasoup Device asks the browser what it
 * can send and receive (a throwaway RTCPeerConnection per direction, ~120 ms
 * in Chromium): the SDK asks once, when the client is created, and loads
 * each membership's Device from that answer with the router's capabilities
 * of its createRoom, while the server creates the transports.
 */

/** A promise for an answer the test gives later. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** mediasoup-client's fake handler, with every probe of the native capabilities recorded and answered by the test. */
function probedHandler() {
  const fake = FakeHandler.createFactory(testFakeParameters);
  type Direction = types.HandlerGetNativeRtpCapabilitiesOptions['direction'];
  const probes: Array<{ direction: Direction; answer: ReturnType<typeof deferred<types.RtpCapabilities>> }> =
    [];
  const handlerFactory: types.HandlerFactory = {
    ...fake,
    getNativeRtpCapabilities: (options) => {
      const answer = deferred<types.RtpCapabilities>();
      probes.push({ direction: options.direction, answer });
      return answer.promise;
    },
  };
  const answerAll = async () => {
    for (const { direction, answer } of probes)
      answer.resolve(await fake.getNativeRtpCapabilities({ direction }));
  };
  return { handlerFactory, probes, answerAll };
}

let server: FakeServerSocket;

beforeEach(() => {
  server = new FakeServerSocket();
  answerLikeServer(server, () => [
    { id: 'alice-video', kind: 'video', socketId: 'alice-socket', participantInfo: undefined },
  ]);
  server.answer('produce', (payload) => ({ id: `my-${(payload as { kind: string }).kind}` }));
});

describe('a join', () => {
  it("asks the browser's capabilities when the client is created, and never again for a join", async () => {
    const { handlerFactory, probes, answerAll } = probedHandler();
    const client = new GroupCallClient(server.asSocket(), { handlerFactory });
    // Both directions, before any join: off the join's path.
    expect(probes.map((p) => p.direction).sort()).toEqual(['recvonly', 'sendonly']);
    await answerAll();
    await client.mediaReady();

    client.join('2');
    await client.joinCall('team-alpha', { tracks: [fakeTrack('audio')] });
    client.leave();
    await client.joinCall('team-alpha');
    expect(probes).toHaveLength(2);
    expect(server.events().filter((e) => e === 'produce')).toHaveLength(1);
  });

  it('asks again at the join when the first ask failed', async () => {
    const { handlerFactory, probes, answerAll } = probedHandler();
    const client = new GroupCallClient(server.asSocket(), { handlerFactory });
    for (const probe of probes) probe.answer.reject(new Error('the WebRTC stack is not up yet'));
    await client.mediaReady();
    probes.length = 0;

    const joining = client.joinCall('team-alpha');
    await expect.poll(() => probes.length).toBeGreaterThan(0);
    await answerAll();
    await expect.poll(() => probes.length).toBe(2);
    await answerAll();
    await joining;
    expect(client.state).toBe('in-call');
  });

  it('asks for both transports while its Device is still loading', async () => {
    // The app's own Device factory: its load (the browser's capabilities) takes a while.
    const loaded = deferred<void>();
    const createDevice = () => {
      const device = createFakeDevice();
      const load = device.load.bind(device);
      device.load = async (options) => {
        await loaded.promise;
        await load(options);
      };
      return device;
    };
    const client = new GroupCallClient(server.asSocket(), { createDevice });
    const joining = client.joinCall('team-alpha');

    await expect.poll(() => server.events().filter((e) => e === 'createTransport').length).toBe(2);
    loaded.resolve();
    await joining;
    expect(server.events()).toEqual([
      'createRoom',
      'createTransport',
      'createTransport',
      'getProducers',
      'consume',
      'connectTransport',
      'resumeConsumer',
    ]);
  });

  it("loads each membership's Device with its own router's capabilities", async () => {
    // A router without video codecs this time (another pod, or another release): no video is sent to it.
    const full = testFakeParameters.generateRouterRtpCapabilities();
    const audioOnly = { ...full, codecs: full.codecs?.filter((codec) => codec.kind === 'audio') };
    let rooms = 0;
    server.answer('createRoom', () => ({
      rtpCapabilities: ++rooms === 1 ? testFakeParameters.generateRouterRtpCapabilities() : audioOnly,
    }));
    server.answer('getProducers', () => ({ producers: [] }));
    const { handlerFactory, answerAll } = probedHandler();
    const client = new GroupCallClient(server.asSocket(), { handlerFactory });
    await answerAll();
    const tracks = [fakeTrack('audio'), fakeTrack('video')];

    await client.joinCall('team-alpha', { tracks });
    const kindsSent = () =>
      server.sent.filter((m) => m.event === 'produce').map((m) => (m.payload as { kind: string }).kind);
    expect(kindsSent()).toEqual(['audio', 'video']);
    client.leave();
    server.sent.length = 0;
    await client.joinCall('team-alpha', { tracks });
    expect(kindsSent()).toEqual(['audio']);
  });

  it('receives the others before it starts sending, and sends also when receiving failed', async () => {
    const { handlerFactory, answerAll } = probedHandler();
    const client = new GroupCallClient(server.asSocket(), { handlerFactory });
    await answerAll();
    const errors: string[] = [];
    client.on('error', ({ message }) => errors.push(message));

    await client.joinCall('team-alpha', { tracks: [fakeTrack('audio'), fakeTrack('video')] });
    const events = server.events();
    expect(events.indexOf('produce')).toBeGreaterThan(events.lastIndexOf('resumeConsumer'));
    expect(events.filter((e) => e === 'produce')).toHaveLength(2);

    client.leave();
    server.sent.length = 0;
    server.answer('consume', () => ({ error: 'Cannot consume' }));
    await client.joinCall('team-alpha', { tracks: [fakeTrack('audio')] });
    expect(server.events().filter((e) => e === 'produce')).toHaveLength(1);
    expect(errors).toEqual(["Could not receive alice-socket's video: Cannot consume"]);
  });
});

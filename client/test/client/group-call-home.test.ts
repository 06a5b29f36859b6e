import { beforeEach, describe, expect, it } from 'vitest';
import { GroupCallHome, type GroupCallHomeOptions, type SfuEndpoint } from '../../src/client/index.ts';
import { answerLikeServer, createFakeDevice, FakeServerSocket } from './fake-server-socket.ts';

const homeUrl = 'https://calls.example.com';
const podB = { url: homeUrl, path: '/sfu/pod-b/socket.io' };
const hostedOnPodB = {
  error: 'This call is hosted on another server: https://calls.example.com/sfu/pod-b/socket.io',
  endpoint: podB,
};

/** Every socket the home opened, by the path it connects to. */
let sockets: Map<string, FakeServerSocket>;
let opened: SfuEndpoint[];
let home: GroupCallHome;

function openHome(options: Partial<GroupCallHomeOptions> = {}): GroupCallHome {
  return new GroupCallHome({
    url: homeUrl,
    userId: '2',
    accessToken: 'jwt',
    clientOptions: { createDevice: createFakeDevice },
    openSocket: (endpoint) => {
      opened.push(endpoint);
      const socket = new FakeServerSocket();
      answerLikeServer(socket, () => []);
      sockets.set(endpoint.path, socket);
      return socket.asSocket();
    },
    ...options,
  });
}

const socketAt = (path: string): FakeServerSocket => {
  const socket = sockets.get(path);
  if (!socket) throw new Error(`no socket opened to ${path}`);
  return socket;
};

beforeEach(() => {
  sockets = new Map();
  opened = [];
  home = openHome();
});

describe('GroupCallHome', () => {
  it('listens on the home path as the user and hears the rings of calls hosted anywhere', () => {
    expect(opened).toEqual([{ url: homeUrl, path: '/socket.io' }]);
    const homeSocket = socketAt('/socket.io');
    expect(homeSocket.sent).toEqual([{ event: 'join', payload: '2' }]);
    const rings: unknown[] = [];
    home.client.on('incomingCall', (incoming) => rings.push(incoming));
    const incoming = {
      conversationId: 'team-alpha',
      callId: '5b8d0a55-3f38-4c57-9a5e-0e8e6c1f3a10',
      callerId: '1',
      callType: 'video',
      callerInfo: { id: '1', name: 'Alice', avatar: null },
      conversationInfo: { id: 'team-alpha', name: 'Team Alpha', avatar: null },
    };
    homeSocket.serverEmit('group_call_incoming', incoming);
    expect(rings).toEqual([incoming]);
  });

  it('connects to the home path WebSocket first, so it needs no affinity unless it falls back to polling', () => {
    const real = new GroupCallHome({
      url: homeUrl,
      userId: '2',
      accessToken: 'jwt',
      socketOptions: { autoConnect: false },
    });
    expect(real.socket.io.opts).toMatchObject({
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    expect(real.socket.auth).toEqual({ token: 'jwt' });
    real.close();
  });

  it('enters a call hosted elsewhere on its own socket to the endpoint given, closed once the call is left', async () => {
    const call = await home.enterCall('team-alpha', { endpoint: podB, ticket: 'ticket-for-pod-b' });

    const away = socketAt(podB.path);
    expect(call).not.toBe(home.client);
    expect(home.call).toBe(call);
    expect(away.sent.slice(0, 2)).toEqual([
      { event: 'join', payload: '2' },
      { event: 'createRoom', payload: { roomId: 'team-alpha', ticket: 'ticket-for-pod-b' } },
    ]);
    expect(socketAt('/socket.io').events()).toEqual(['join']);

    call.leave();
    expect(away.closed).toBe(true);
    expect(socketAt('/socket.io').closed).toBe(false);
    expect(home.call).toBeUndefined();
  });

  it("closes a call's socket when the call ends", async () => {
    const call = await home.enterCall('team-alpha', { endpoint: podB, ticket: 't' });
    socketAt(podB.path).serverEmit('group_call_ended', {
      conversationId: 'team-alpha',
      callId: '5b8d0a55-3f38-4c57-9a5e-0e8e6c1f3a10',
    });
    expect(call.state).toBe('idle');
    expect(socketAt(podB.path).closed).toBe(true);
  });

  it('follows the home server’s "hosted on another server" answer when no endpoint was given', async () => {
    const homeSocket = socketAt('/socket.io');
    homeSocket.answer('createRoom', () => hostedOnPodB);

    const call = await home.enterCall('team-alpha');

    expect(homeSocket.sent.find((m) => m.event === 'createRoom')?.payload).toEqual({ roomId: 'team-alpha' });
    expect(call.state).toBe('in-call');
    expect(socketAt(podB.path).sent.find((m) => m.event === 'createRoom')?.payload).toEqual({
      roomId: 'team-alpha',
    });
  });

  it('enters a call hosted on the home endpoint itself on the home socket (the embedded default)', async () => {
    const call = await home.enterCall('team-alpha', {
      endpoint: { url: `${homeUrl}/`, path: '/socket.io' },
      ticket: 't',
    });
    expect(call).toBe(home.client);
    expect(opened).toHaveLength(1);
    await expect(home.enterCall('team-beta', { endpoint: podB })).rejects.toThrow(
      'Already in call team-alpha: leave() it first',
    );
  });

  it('passes a refusal on and closes the socket it opened for the call', async () => {
    home = openHome({
      openSocket: (endpoint) => {
        const socket = new FakeServerSocket();
        answerLikeServer(socket, () => []);
        if (endpoint.path === podB.path)
          socket.answer('createRoom', () => ({ error: 'This call has ended' }));
        sockets.set(endpoint.path, socket);
        return socket.asSocket();
      },
    });
    await expect(home.enterCall('team-alpha', { endpoint: podB, ticket: 't' })).rejects.toThrow(
      'This call has ended',
    );
    expect(socketAt(podB.path).closed).toBe(true);
    expect(home.call).toBeUndefined();
  });

  it('does not follow a hosted-elsewhere answer to an endpoint it was not given', async () => {
    const podC = { url: homeUrl, path: '/sfu/pod-c/socket.io' };
    home = openHome({
      openSocket: (endpoint) => {
        const socket = new FakeServerSocket();
        answerLikeServer(socket, () => []);
        socket.answer('createRoom', () => ({ ...hostedOnPodB, endpoint: podB }));
        sockets.set(endpoint.path, socket);
        return socket.asSocket();
      },
    });
    // The endpoint given was stale: the error says where the call is now, the app asks the control plane again.
    await expect(home.enterCall('team-alpha', { endpoint: podC, ticket: 't' })).rejects.toMatchObject({
      endpoint: podB,
    });
    expect(sockets.has(podB.path)).toBe(false);
  });
});

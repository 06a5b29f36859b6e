import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IceRestarts } from '../../src/client/ice-restarts.ts';
import type { SocketRequest } from '../../src/client/socket-request.ts';

/** A mediasoup-client transport as far as IceRestarts uses it: its state, its events, restartIce. */
class FakeTransport extends EventEmitter {
  readonly id: string;
  connectionState = 'connected';
  closed = false;
  readonly restarts: unknown[] = [];
  constructor(id: string) {
    super();
    this.id = id;
  }
  async restartIce({ iceParameters }: { iceParameters: unknown }) {
    this.restarts.push(iceParameters);
  }
  goes(state: string) {
    this.connectionState = state;
    this.emit('connectionstatechange', state);
  }
}

function setUp() {
  const send = new FakeTransport('send-1');
  const recv = new FakeTransport('recv-1');
  const asked: string[] = [];
  let n = 0;
  const request = (async (event: string, payload: { transportId: string }) => {
    expect(event).toBe('restartIce');
    asked.push(payload.transportId);
    n += 1;
    return { iceParameters: { usernameFragment: `u${n}`, password: `p${n}`, iceLite: true } };
  }) as unknown as SocketRequest;
  const errors: string[] = [];
  const restarts = new IceRestarts(request, [send, recv] as unknown as types.Transport[], (m) =>
    errors.push(m),
  );
  return { send, recv, asked, errors, restarts };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('IceRestarts', () => {
  it('restarts ICE on a transport whose connection drops, with the parameters the server answers', async () => {
    const { send, recv, asked } = setUp();
    send.goes('disconnected');
    await vi.waitFor(() => expect(send.restarts).toHaveLength(1));
    expect(asked).toEqual(['send-1']);
    expect(send.restarts[0]).toEqual({ usernameFragment: 'u1', password: 'p1', iceLite: true });
    recv.goes('failed');
    await vi.waitFor(() => expect(recv.restarts).toHaveLength(1));
    expect(asked).toEqual(['send-1', 'recv-1']);
  });

  it('restarts every transport when the network changed', async () => {
    const { send, recv, asked, restarts } = setUp();
    restarts.restartAll();
    await vi.waitFor(() => expect(send.restarts.length + recv.restarts.length).toBe(2));
    expect(asked.sort()).toEqual(['recv-1', 'send-1']);
  });

  it('tries again while the transport stays down, a bounded number of times, and stops when closed', async () => {
    vi.useFakeTimers();
    const { send, asked, restarts } = setUp();
    send.goes('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(asked).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(asked).toHaveLength(5);
    restarts.stop();
    send.goes('disconnected');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(asked).toHaveLength(5);
  });

  it('stops retrying once the transport is connected again', async () => {
    vi.useFakeTimers();
    const { send, asked } = setUp();
    send.goes('disconnected');
    await vi.advanceTimersByTimeAsync(0);
    send.goes('connected');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(asked).toHaveLength(1);
  });
});

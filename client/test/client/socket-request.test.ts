import { describe, expect, it } from 'vitest';
import { RequestTimeoutError, SignallingError } from '../../src/client/errors.ts';
import { createSocketRequest, type GroupCallSocket } from '../../src/client/socket-request.ts';

type Ack = (error: Error | null, response?: unknown) => void;

/** A socket whose acks come from `reply`; `undefined` plays Socket.IO's own timeout. */
function socketAnswering(reply: (event: string, args: unknown[]) => unknown) {
  const sent: Array<{ event: string; args: unknown[]; timeoutMs: number }> = [];
  const socket = {
    timeout: (timeoutMs: number) => ({
      emit: (event: string, ...args: unknown[]) => {
        const ack = args.pop() as Ack;
        sent.push({ event, args, timeoutMs });
        const response = reply(event, args);
        if (response === undefined) ack(new Error('operation has timed out'));
        else ack(null, response);
      },
    }),
  };
  return { socket: socket as unknown as GroupCallSocket, sent };
}

describe('socketRequest', () => {
  it('resolves with the ack, sending the payload before the callback (none for getProducers)', async () => {
    const { socket, sent } = socketAnswering((event) =>
      event === 'getProducers' ? { producers: [] } : { id: 'producer-1' },
    );
    const request = createSocketRequest(socket, 1234);
    const rtpParameters = { codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000 }] };

    await expect(request('produce', { transportId: 't', kind: 'audio', rtpParameters })).resolves.toEqual({
      id: 'producer-1',
    });
    await expect(request('getProducers')).resolves.toEqual({ producers: [] });
    expect(sent).toEqual([
      { event: 'produce', args: [{ transportId: 't', kind: 'audio', rtpParameters }], timeoutMs: 1234 },
      { event: 'getProducers', args: [], timeoutMs: 1234 },
    ]);
  });

  it('rejects with the server error string on an { error } ack', async () => {
    const { socket } = socketAnswering(() => ({ error: 'Join first with your user ID' }));
    const failed = createSocketRequest(socket)('createRoom', { roomId: 'team-alpha' });
    await expect(failed).rejects.toThrow(SignallingError);
    await expect(failed).rejects.toMatchObject({
      event: 'createRoom',
      message: 'Join first with your user ID',
    });
  });

  it('rejects with a RequestTimeoutError when no ack comes in time', async () => {
    const { socket } = socketAnswering(() => undefined);
    const failed = createSocketRequest(socket, 50)('resumeConsumer', { consumerId: 'c' });
    await expect(failed).rejects.toThrow(RequestTimeoutError);
    await expect(failed).rejects.toThrow('resumeConsumer got no answer within 50 ms');
  });
});

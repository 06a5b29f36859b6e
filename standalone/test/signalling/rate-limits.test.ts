import { describe, expect, it } from 'vitest';
import { enterCall, produce } from '../support/media-fixtures.ts';
import { useTestServer } from '../support/test-server.ts';

// The default rates: 200 requests at once then 50 a second; createRoom and
// group_call_initiate 5 at once then 12 a minute.
const fixture = useTestServer({ config: { limits: { maxParticipantsPerCall: 25 } } });
const { joined } = fixture;
const tooMany = 'Too many requests, slow down';

describe('request rate per socket', () => {
  it('500 createRoom on one socket: a few are served, the rest answered Too many requests', async () => {
    const alice = await joined('1');
    const answers = await Promise.all(
      Array.from({ length: 500 }, () => alice.request('createRoom', { roomId: 'team-alpha' })),
    );
    const served = answers.filter((a) => a.rtpCapabilities);
    const refused = answers.filter((a) => a.error === tooMany);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.length).toBeLessThanOrEqual(10);
    expect(served.length + refused.length).toBe(500);
  });

  it('a flood of cheap requests is cut after the burst', async () => {
    const alice = await joined('1');
    const answers = await Promise.all(Array.from({ length: 600 }, () => alice.request('getProducers')));
    expect(answers.filter((a) => a.error === tooMany).length).toBeGreaterThan(100);
  });

  it('answers a request without ack through group_call_error', async () => {
    const alice = await joined('1');
    for (let i = 0; i < 20; i++) alice.emit('group_call_initiate', { callerId: '1' });
    expect(await alice.waitFor('group_call_error', (e) => e.message === tooMany)).toEqual({
      message: tooMany,
    });
  });

  it('a device entering a busy call is never limited', async () => {
    // Eight devices of Team Alpha's four members, with camera and microphone:
    // the last one sends its requests as a client does, all at once where it can.
    const others = [];
    for (const userId of ['1', '2', '3', '4', '1', '2', '3']) {
      const call = await enterCall(await joined(userId), 'team-alpha');
      await Promise.all([produce(call, 'audio'), produce(call, 'video')]);
      others.push(call);
    }
    const last = await enterCall(await joined('4'), 'team-alpha');
    await Promise.all([produce(last, 'audio'), produce(last, 'video')]);
    const { producers } = await last.client.request('getProducers');
    expect(producers).toHaveLength(14);
    const consumed = await Promise.all(
      producers.map((p: { id: string }) =>
        last.client.request('consume', {
          transportId: last.recvTransportId,
          producerId: p.id,
          rtpCapabilities: last.rtpCapabilities,
        }),
      ),
    );
    const resumed = await Promise.all(
      consumed.map((c) => last.client.request('resumeConsumer', { consumerId: c.id })),
    );
    expect(resumed).toEqual(producers.map(() => ({ success: true })));
    expect(others).toHaveLength(7);
  });
});

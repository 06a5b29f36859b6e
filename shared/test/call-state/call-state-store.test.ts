import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../../testing/src/index.ts';
import {
  type CallStateStore,
  InMemoryCallStateStore,
  type NewCall,
  RedisCallStateStore,
} from '../../src/call-state/index.ts';

const call: NewCall = {
  conversationId: 'team-alpha',
  callId: 'call-1',
  callType: 'video',
  startedBy: '1',
  startedAt: Date.parse('2026-01-01T00:00:00Z'),
  conversationInfo: { id: 'team-alpha', name: 'Team Alpha', avatar: null },
  members: [
    { userId: '1', name: 'Alice', avatar: 'https://avatars.test/alice.png' },
    { userId: '2', name: 'Bob', avatar: null },
    { userId: '3', name: 'Carol', avatar: null },
    { userId: '4', name: 'User 4', avatar: null },
  ],
  ringing: ['2', '3', '4'],
};

let redisServer: RedisServer;
let redis: Redis;
beforeAll(async () => {
  redisServer = await startRedis();
  redis = new Redis(redisServer.url);
});
afterAll(async () => {
  await redis?.quit();
  await redisServer?.stop();
});

/** The same contract, for both stores. */
describe.each([
  ['in memory', () => new InMemoryCallStateStore()],
  ['Redis', () => new RedisCallStateStore(redis)],
])('call state %s', (_, createStore: () => CallStateStore) => {
  let store: CallStateStore;
  beforeEach(async () => {
    await redis.flushall();
    store = createStore();
  });

  it('records a call once; a second start gets the active call', async () => {
    const first = await store.start(call);
    const second = await store.start({ ...call, startedBy: '2', callType: 'audio', ringing: [] });

    const { ringing: _, ...fields } = call;
    const ring = { '2': 'ringing', '3': 'ringing', '4': 'ringing' };
    const state = {
      ...fields,
      memberIds: ['1', '2', '3', '4'],
      participantCount: 0,
      peakParticipantCount: 0,
      ring,
    };
    expect(first).toEqual({ created: true, call: state });
    expect(second).toEqual({ created: false, call: state });
    expect(await store.get('team-alpha')).toEqual(state);
    expect(await store.get('team-beta')).toBeUndefined();
  });

  it('keeps the members and conversation the sfu-worker admits and labels from', async () => {
    await store.start(call);
    const stored = await store.get('team-alpha');
    expect(stored?.conversationInfo).toEqual(call.conversationInfo);
    expect(stored?.members).toEqual(call.members);
    expect(stored?.memberIds).toEqual(call.members.map((m) => m.userId));
    // What a reader gets is its own copy: changing it changes nothing stored.
    stored?.members.pop();
    expect((await store.get('team-alpha'))?.members).toHaveLength(4);
  });

  it('stops ringing each member once, recording how', async () => {
    await store.start(call);
    expect(await store.stopRinging('team-alpha', 'call-1', ['2', '9'], 'declined')).toEqual(['2']);
    expect(await store.stopRinging('team-alpha', 'call-1', ['2'], 'missed')).toEqual([]);
    expect((await store.stopRinging('team-alpha', 'call-1', undefined, 'missed')).sort()).toEqual(['3', '4']);
    expect(await store.stopRinging('team-alpha', 'call-1', undefined, 'missed')).toEqual([]);
    expect(await store.stopRinging('no-call', 'call-1', ['2'], 'declined')).toEqual([]);
    expect((await store.get('team-alpha'))?.ring).toEqual({ '2': 'declined', '3': 'missed', '4': 'missed' });
  });

  it('keeps the most participants reported at once', async () => {
    await store.start(call);
    for (const count of [1, 3, 2, 0]) await store.setParticipantCount('team-alpha', 'call-1', count);
    expect(await store.get('team-alpha')).toMatchObject({ participantCount: 0, peakParticipantCount: 3 });
  });

  it('records unreachable members, who do not keep an empty call alive', async () => {
    await store.start({ ...call, ringing: ['2'], unreachable: ['3', '4'] });
    expect((await store.get('team-alpha'))?.ring).toEqual({
      '2': 'ringing',
      '3': 'unreachable',
      '4': 'unreachable',
    });
    expect(await store.stopRinging('team-alpha', 'call-1', undefined, 'missed')).toEqual(['2']);
    const ended = await store.endIfAbandoned('team-alpha', 'call-1', { evenIfAccepted: false });
    expect(ended?.call.callId).toBe('call-1');
  });

  it('records who accepted, rung or not', async () => {
    await store.start(call);
    expect(await store.stopRinging('team-alpha', 'call-1', ['2'], 'accepted')).toEqual(['2']);
    expect(await store.stopRinging('team-alpha', 'call-1', ['1'], 'accepted')).toEqual([]);
    expect((await store.get('team-alpha'))?.ring).toMatchObject({ '1': 'accepted', '2': 'accepted' });
  });

  it('keeps participant counts, and never brings back an ended call', async () => {
    await store.start(call);
    await store.setParticipantCount('team-alpha', 'call-1', 3);
    expect((await store.get('team-alpha'))?.participantCount).toBe(3);

    const ended = await store.end('team-alpha', 'call-1');
    expect(ended?.call).toMatchObject({
      callId: 'call-1',
      participantCount: 3,
      memberIds: ['1', '2', '3', '4'],
    });
    expect(ended?.stillRinging.sort()).toEqual(['2', '3', '4']);
    expect(await store.end('team-alpha', 'call-1')).toBeUndefined();
    await store.setParticipantCount('team-alpha', 'call-1', 1);
    expect(await store.get('team-alpha')).toBeUndefined();
    expect(await store.stopRinging('team-alpha', 'call-1', undefined, 'missed')).toEqual([]);
  });

  it('leaves a call alone when a report names another call', async () => {
    await store.start(call);
    await store.setParticipantCount('team-alpha', 'call-0', 5);
    expect(await store.stopRinging('team-alpha', 'call-0', ['2'], 'declined')).toEqual([]);
    expect(await store.end('team-alpha', 'call-0')).toBeUndefined();
    expect(await store.endIfAbandoned('team-alpha', 'call-0', { evenIfAccepted: true })).toBeUndefined();
    expect(await store.get('team-alpha')).toMatchObject({ callId: 'call-1', participantCount: 0 });
  });

  it('ends a call once nobody can answer and nobody is in the room', async () => {
    await store.start(call);
    await store.stopRinging('team-alpha', 'call-1', ['2', '3'], 'declined');
    const rule = { evenIfAccepted: false };
    expect(await store.endIfAbandoned('team-alpha', 'call-1', rule)).toBeUndefined(); // Dave still rings
    await store.stopRinging('team-alpha', 'call-1', ['4'], 'accepted');
    expect(await store.endIfAbandoned('team-alpha', 'call-1', rule)).toBeUndefined(); // Dave is on the way
    await store.setParticipantCount('team-alpha', 'call-1', 1);
    expect(await store.endIfAbandoned('team-alpha', 'call-1', { evenIfAccepted: true })).toBeUndefined();
    await store.setParticipantCount('team-alpha', 'call-1', 0);
    const ended = await store.endIfAbandoned('team-alpha', 'call-1', { evenIfAccepted: true });
    expect(ended?.call.callId).toBe('call-1');
    expect(await store.get('team-alpha')).toBeUndefined();
  });

  it('starts afresh after a call ended', async () => {
    await store.start(call);
    await store.stopRinging('team-alpha', 'call-1', ['2'], 'declined');
    await store.end('team-alpha', undefined);
    const again = await store.start({ ...call, callId: 'call-2', startedBy: '3', ringing: ['1', '2', '4'] });
    expect(again.created).toBe(true);
    expect((await store.stopRinging('team-alpha', 'call-2', undefined, 'missed')).sort()).toEqual([
      '1',
      '2',
      '4',
    ]);
  });
});

describe('expiry', () => {
  it('forgets a call nobody reports on (in memory)', async () => {
    let now = 0;
    const store = new InMemoryCallStateStore({ expiryMs: 1_000, now: () => now });
    await store.start(call);
    now = 900;
    await store.setParticipantCount('team-alpha', 'call-1', 2);
    now = 1_800;
    expect(await store.get('team-alpha')).toMatchObject({ participantCount: 2 });
    now = 2_000;
    expect(await store.get('team-alpha')).toBeUndefined();
  });

  it('forgets a call nobody reports on (Redis)', async () => {
    await redis.flushall();
    const store = new RedisCallStateStore(redis, { expiryMs: 200 });
    await store.start(call);
    expect(await redis.pttl('groupcall:call:{team-alpha}')).toBeGreaterThan(0);
    expect(await redis.pttl('groupcall:call:{team-alpha}:ring')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.get('team-alpha')).toBeUndefined();
    expect(await redis.exists('groupcall:call:{team-alpha}:ring')).toBe(0);
  });
});

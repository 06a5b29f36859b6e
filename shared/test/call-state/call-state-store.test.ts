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
    const state = { ...fields, memberIds: ['1', '2', '3', '4'], participantCount: 0 };
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

  it('stops ringing each member once', async () => {
    await store.start(call);
    expect(await store.stopRinging('team-alpha', ['2', '9'])).toEqual(['2']);
    expect(await store.stopRinging('team-alpha', ['2'])).toEqual([]);
    expect((await store.stopRinging('team-alpha')).sort()).toEqual(['3', '4']);
    expect(await store.stopRinging('team-alpha')).toEqual([]);
    expect(await store.stopRinging('no-call', ['2'])).toEqual([]);
  });

  it('keeps participant counts, and never brings back an ended call', async () => {
    await store.start(call);
    await store.setParticipantCount('team-alpha', 3);
    expect((await store.get('team-alpha'))?.participantCount).toBe(3);

    expect((await store.end('team-alpha')).sort()).toEqual(['2', '3', '4']);
    await store.setParticipantCount('team-alpha', 1);
    expect(await store.get('team-alpha')).toBeUndefined();
    expect(await store.stopRinging('team-alpha')).toEqual([]);
  });

  it('starts afresh after a call ended', async () => {
    await store.start(call);
    await store.stopRinging('team-alpha', ['2']);
    await store.end('team-alpha');
    const again = await store.start({ ...call, startedBy: '3', ringing: ['1', '2', '4'] });
    expect(again.created).toBe(true);
    expect((await store.stopRinging('team-alpha')).sort()).toEqual(['1', '2', '4']);
  });
});

describe('expiry', () => {
  it('forgets a call nobody reports on (in memory)', async () => {
    let now = 0;
    const store = new InMemoryCallStateStore({ expiryMs: 1_000, now: () => now });
    await store.start(call);
    now = 900;
    await store.setParticipantCount('team-alpha', 2);
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
    expect(await redis.pttl('groupcall:call:{team-alpha}:ringing')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.get('team-alpha')).toBeUndefined();
    expect(await redis.exists('groupcall:call:{team-alpha}:ringing')).toBe(0);
  });
});

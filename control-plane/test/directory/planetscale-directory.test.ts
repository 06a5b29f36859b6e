import { type DirectoryData, loadDirectoryData } from '@groupcall/shared/directory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFcmTokens } from '../../src/directory/directory-rows.ts';
import { PlanetScaleDirectory } from '../../src/directory/planetscale-directory.ts';
import { seedDirectory } from '../../tools/seed/seed-directory.ts';
import { type PlanetScaleDatabase, startPlanetScaleDatabase } from '../support/planetscale-database.ts';

// Demo data: team-alpha = Alice (1), Bob (2), Carol (3, no tokens), Dave (4);
// team-beta = Erin (5), Frank (6, no avatar); team-beta has no avatar either.
let database: PlanetScaleDatabase;
let directory: PlanetScaleDirectory;

/** A conversation of `size` members, user ids from `firstUserId`, each with two tokens. */
function bigGroup(conversationId: string, size: number, firstUserId: number): DirectoryData {
  const users = Array.from({ length: size }, (_, i) => ({
    id: String(firstUserId + i),
    name: `Member ${i}`,
    avatar: i % 2 === 0 ? `avatars/${i}.png` : null,
    fcmTokens: [`${conversationId}-${i}-phone`, `${conversationId}-${i}-tablet`],
  }));
  return {
    users,
    conversations: [{ id: conversationId, name: 'Everyone', avatar: null, members: users.map((u) => u.id) }],
  };
}

beforeAll(async () => {
  database = await startPlanetScaleDatabase();
  await seedDirectory(database.db, loadDirectoryData());
  directory = new PlanetScaleDirectory({ url: database.url });
}, 60_000);

afterAll(() => database?.stop());

describe('PlanetScaleDirectory.conversationMembers', () => {
  it('returns the conversation and its members with names, avatars and tokens', async () => {
    const { conversation, members } = await directory.conversationMembers('team-alpha');
    expect(conversation).toEqual({
      id: 'team-alpha',
      name: 'Team Alpha',
      avatar: 'https://i.pravatar.cc/150?img=5',
    });
    expect(members).toEqual([
      { id: '1', name: 'Alice', avatar: 'https://i.pravatar.cc/150?img=47', fcmTokens: ['demo-token-alice'] },
      { id: '2', name: 'Bob', avatar: 'https://i.pravatar.cc/150?img=12', fcmTokens: ['demo-token-bob'] },
      { id: '3', name: 'Carol', avatar: 'https://i.pravatar.cc/150?img=32', fcmTokens: [] },
      { id: '4', name: 'Dave', avatar: 'https://i.pravatar.cc/150?img=53', fcmTokens: ['demo-token-dave'] },
    ]);
  });

  it('keeps a missing avatar as null', async () => {
    const { conversation, members } = await directory.conversationMembers('team-beta');
    expect(conversation).toEqual({ id: 'team-beta', name: 'Team Beta', avatar: null });
    expect(members.find((m) => m.id === '6')).toEqual({
      id: '6',
      name: 'Frank',
      avatar: null,
      fcmTokens: [],
    });
  });

  it('knows no unknown conversation, and ids are case-sensitive', async () => {
    expect(await directory.conversationMembers('no-such-group')).toEqual({
      conversation: undefined,
      members: [],
    });
    expect(await directory.conversationMembers('TEAM-ALPHA')).toEqual({
      conversation: undefined,
      members: [],
    });
  });

  it('leaves out deleted members and members whose user no longer exists', async () => {
    await seedDirectory(database.db, {
      users: [
        { id: '71', name: 'Stays', avatar: null, fcmTokens: [] },
        { id: '72', name: 'Leaves', avatar: null, fcmTokens: ['t72'] },
      ],
      conversations: [{ id: 'leavers', name: 'Leavers', avatar: null, members: ['71', '72', '73'] }],
    });
    // 72 leaves the group (isDeleted = TRUE); user 73 never existed (a dangling member row).
    await seedDirectory(database.db, {
      users: [],
      conversations: [{ id: 'leavers', name: 'Leavers', avatar: null, members: ['71', '73'] }],
    });
    const { rows } = await database.db.execute(
      'SELECT userId, isDeleted FROM ConversationMember WHERE conversationId = ? ORDER BY userId',
      ['leavers'],
    );
    expect(rows).toEqual([
      { userId: 71, isDeleted: 0 },
      { userId: 72, isDeleted: 1 },
      { userId: 73, isDeleted: 0 },
    ]);

    const { members } = await directory.conversationMembers('leavers');
    expect(members.map((m) => m.id)).toEqual(['71']);
    expect((await directory.membership('leavers', '72')).member).toBeUndefined();
  });

  it('reads a 500-member conversation in at most two queries', async () => {
    await seedDirectory(database.db, bigGroup('town-hall', 500, 10_000));
    const before = directory.queryCount;
    const { conversation, members } = await directory.conversationMembers('town-hall');
    expect(directory.queryCount - before).toBeLessThanOrEqual(2);
    expect(conversation?.name).toBe('Everyone');
    expect(members).toHaveLength(500);
    expect(members[499]).toEqual({
      id: '10499',
      name: 'Member 499',
      avatar: null,
      fcmTokens: ['town-hall-499-phone', 'town-hall-499-tablet'],
    });
  }, 30_000);
});

describe('PlanetScaleDirectory.membership', () => {
  it('returns the conversation and the member record in one query', async () => {
    const before = directory.queryCount;
    const result = await directory.membership('team-beta', '6');
    expect(directory.queryCount - before).toBe(1);
    expect(result).toEqual({
      conversation: { id: 'team-beta', name: 'Team Beta', avatar: null },
      member: { id: '6', name: 'Frank', avatar: null, fcmTokens: [] },
    });
  });

  it('returns the conversation without a member for a non-member', async () => {
    expect(await directory.membership('team-beta', '1')).toEqual({
      conversation: { id: 'team-beta', name: 'Team Beta', avatar: null },
      member: undefined,
    });
  });

  it('returns nothing for an unknown conversation', async () => {
    expect(await directory.membership('no-such-group', '1')).toEqual({
      conversation: undefined,
      member: undefined,
    });
  });

  it('never lets MySQL read a non-numeric user id as a number ("1abc" is not user 1)', async () => {
    expect((await directory.membership('team-alpha', '1abc')).member).toBeUndefined();
    expect((await directory.membership('team-alpha', ' 1')).member).toBeUndefined();
  });
});

describe('PlanetScaleDirectory.removeFcmTokens', () => {
  it('removes only the given tokens and keeps the others in order', async () => {
    await seedDirectory(database.db, {
      users: [{ id: '80', name: 'Many Phones', avatar: null, fcmTokens: ['a', 'b', 'c', 'd'] }],
      conversations: [],
    });
    expect(await directory.removeFcmTokens('80', ['b', 'zzz'])).toBe(1);
    const { rows } = await database.db.execute('SELECT fcmToken FROM `User` WHERE id = 80');
    expect(rows).toEqual([{ fcmToken: ['a', 'c', 'd'] }]);
  });

  it('loses no removal when two run at once on the same user', async () => {
    await seedDirectory(database.db, {
      users: [{ id: '81', name: 'Racer', avatar: null, fcmTokens: ['a', 'b', 'c', 'd', 'e'] }],
      conversations: [],
    });
    const removed = await Promise.all([
      directory.removeFcmTokens('81', ['a']),
      directory.removeFcmTokens('81', ['c']),
      directory.removeFcmTokens('81', ['e']),
    ]);
    expect(removed).toEqual([1, 1, 1]);
    const { rows } = await database.db.execute('SELECT fcmToken FROM `User` WHERE id = 81');
    expect(rows).toEqual([{ fcmToken: ['b', 'd'] }]);
    expect(database.simulator.openTransactions()).toBe(0);
  });

  it('does nothing for an unknown user or no tokens', async () => {
    expect(await directory.removeFcmTokens('999999', ['a'])).toBe(0);
    expect(await directory.removeFcmTokens('1', [])).toBe(0);
    expect(await directory.removeFcmTokens('not-a-number', ['a'])).toBe(0);
  });
});

describe('parseFcmTokens', () => {
  it('accepts the JSON column parsed (PlanetScale) or as text (MariaDB LONGTEXT)', () => {
    expect(parseFcmTokens(['a', 'b'])).toEqual(['a', 'b']);
    expect(parseFcmTokens('["a","b"]')).toEqual(['a', 'b']);
  });

  it('treats anything but an array of strings as no devices, and drops blanks and duplicates', () => {
    expect(parseFcmTokens(null)).toEqual([]);
    expect(parseFcmTokens('not json')).toEqual([]);
    expect(parseFcmTokens('"just-a-string"')).toEqual([]);
    expect(parseFcmTokens({ token: 'a' })).toEqual([]);
    expect(parseFcmTokens(['a', '', 42, 'a', null, 'b'])).toEqual(['a', 'b']);
  });
});

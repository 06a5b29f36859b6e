import { InMemoryDirectory, loadDirectoryData } from '@groupcall/shared/directory';
import { FieldLimit, ParticipantInfoSchema } from '@groupcall/shared/protocol';
import { verifyTicket } from '@groupcall/shared/tickets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneHarness, ticketVerificationKey } from './support/control-plane.ts';
import { type RedisServer, startRedis } from './support/servers.ts';

// The directory is written by other systems: one bad row must not break the calls of a whole group.
const longName = `Alice ${'x'.repeat(300)}`;
const data = loadDirectoryData();
for (const user of data.users) {
  if (user.id === '1') user.name = `\u202Eevil\u0000 ${longName}\n`;
  if (user.id === '2') user.avatar = `https://avatars.test/${'a'.repeat(3000)}.png`;
}
for (const conversation of data.conversations) {
  if (conversation.id === 'team-alpha') conversation.name = `Team\r\nAlpha\u0007 ${'y'.repeat(400)}`;
}

let redis: RedisServer;
let cp: ControlPlaneHarness;

beforeAll(async () => {
  redis = await startRedis();
  cp = await ControlPlaneHarness.start({ redisUrl: redis.url, directory: new InMemoryDirectory(data) });
});

afterAll(async () => {
  await cp?.close();
  await redis?.stop();
});

describe('directory rows that do not fit the protocol', () => {
  it('still let members start, see and join the call, with names cleaned and bounded', async () => {
    const started = await cp.request('POST', '/v1/calls', {
      as: '1',
      body: { conversationId: 'team-alpha', callType: 'video' },
    });
    expect(started.status).toBe(201);

    const status = await cp.request('GET', '/v1/calls/team-alpha', { as: '3' });
    expect(status).toMatchObject({ status: 200, body: { active: true } });

    const joined = await cp.request('POST', '/v1/calls/team-alpha/join', { as: '2' });
    expect(joined.status).toBe(200);

    const { ticket, endpoint } = started.body as { ticket: string; endpoint: { path: string } };
    const podName = endpoint.path.split('/')[2] ?? '';
    const verified = await verifyTicket(ticketVerificationKey, ticket, {
      conversationId: 'team-alpha',
      podName,
    });
    const name = verified.participantInfo.name;
    expect(name.length).toBe(FieldLimit.nameLength);
    expect(name.startsWith('evil Alice xxx')).toBe(true);
    expect(name).not.toMatch(/[\p{Cc}\u202e]/u);

    const call = await cp.callState.get('team-alpha');
    const bob = call?.members.find((m) => m.userId === '2');
    expect(bob?.avatar).toBeNull();
    expect(ParticipantInfoSchema.array().parse(call?.members)).toHaveLength(4);
    expect(call?.conversationInfo.name.startsWith('TeamAlpha yyy')).toBe(true);
  });
});

import { createLogger } from '@groupcall/shared/logging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enterCall, produce } from '../support/media-fixtures.ts';
import { nestedArrayJson, RawPackets } from '../support/raw-packets.ts';
import type { TestClient } from '../support/test-client.ts';
import { useTestServer } from '../support/test-server.ts';

/**
 * Property: whatever a client sends to whatever event, the server answers
 * every request that asked for an answer, keeps every connection (nothing
 * here is over the transport's hard size limit), and afterwards still
 * serves a normal call. Limits that would only refuse early (rates,
 * admission) are lifted so the payloads reach the handlers.
 */
const fixture = useTestServer({
  // Thousands of refused requests: only what would be a server fault is worth printing.
  log: createLogger('groupcall', 'error'),
  config: {
    limits: {
      authTimeoutMs: 3_600_000,
      maxUnauthenticatedSocketsPerIp: 1_000,
      maxDevicesPerUser: 1_000,
      maxDevicesPerUserInCall: 1_000,
    },
    requestRates: { burst: 1_000_000, perSecond: 1_000_000, callBurst: 1_000_000, callPerMinute: 1_000_000 },
  },
});

const EVENTS = [
  'join',
  'group_call_initiate',
  'createRoom',
  'leaveRoom',
  'createTransport',
  'connectTransport',
  'produce',
  'getProducers',
  'consume',
  'resumeConsumer',
];
const FIELDS = [
  'roomId',
  'ticket',
  'type',
  'transportId',
  'dtlsParameters',
  'kind',
  'rtpParameters',
  'producerId',
  'rtpCapabilities',
  'consumerId',
  'callerId',
  'conversationId',
  'callType',
  '__proto__',
  'constructor',
];
// Socket.IO itself treats these as a protocol violation and closes the connection.
const RESERVED = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

const eventName = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...EVENTS) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).filter((name) => !RESERVED.has(name)),
  },
  { weight: 1, arbitrary: fc.integer() },
);

/**
 * One argument, as JSON text (deep nesting can only be written as text). Each
 * stays under 64 KiB, so a packet of three stays under the transport's hard
 * limit (4 × 64 KiB, which closes the connection by design).
 */
const argument = fc.oneof(
  { weight: 8, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)) },
  {
    weight: 8,
    arbitrary: fc
      .dictionary(
        fc.constantFrom(...FIELDS),
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.string({ unit: 'binary' })),
      )
      .map((v) => JSON.stringify(v)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 30_000 }).map(nestedArrayJson) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 5_000 }).map((d) => `${'{"roomId":'.repeat(d)}"x"${'}'.repeat(d)}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 30_000 }).map((n) => `[${'0,'.repeat(n - 1)}0]`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }).map((v) => JSON.stringify(v)) },
);

const request = fc.record({
  socket: fc.nat(),
  event: eventName,
  args: fc.array(argument, { maxLength: 3 }),
  withAck: fc.boolean(),
});

/** fc.assert, with the report cut short: a counterexample here can be megabytes of brackets. */
async function assertShort<T>(property: fc.IAsyncProperty<T>, parameters: fc.Parameters<T>): Promise<void> {
  const details = await fc.check(property, parameters);
  if (!details.failed) return;
  const cause =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `property failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}): ${cause.slice(0, 2_000)}`,
  );
}

const SOCKETS = 8;
const RUNS = 100;
const PER_RUN = 100;

describe('fuzzing every socket event', () => {
  it(`answers ${RUNS * PER_RUN} generated requests, keeps every connection, then serves a call`, async () => {
    const clients: TestClient[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const client = await fixture.joined(String((i % 4) + 1));
      if (i % 2 === 0) await enterCall(client, 'team-alpha');
      clients.push(client);
    }
    const raw = clients.map((client) => new RawPackets(client.socket));
    let sent = 0;

    await assertShort(
      fc.asyncProperty(fc.array(request, { minLength: PER_RUN, maxLength: PER_RUN }), async (batch) => {
        const answers = batch.map(({ socket, event, args, withAck }) => {
          const packet = `[${[JSON.stringify(event), ...args].join(',')}]`;
          const target = raw[socket % SOCKETS] as RawPackets;
          sent++;
          if (withAck) return target.request(packet, 20_000);
          target.send(packet);
          return undefined;
        });
        for (const answer of await Promise.all(answers)) {
          if (answer === undefined) continue;
          expect(answer).toHaveLength(1);
          expect(answer[0]).toBeTypeOf('object');
        }
        expect(clients.every((client) => client.socket.connected)).toBe(true);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);

    for (const client of clients) client.close();
    await expect.poll(() => fixture.server.rooms.rooms.length, { timeout: 10_000 }).toBe(0);
    const alice = await enterCall(await fixture.joined('1'), 'team-alpha');
    const producerId = await produce(alice, 'video');
    const bob = await enterCall(await fixture.joined('2'), 'team-alpha');
    const consumer = await bob.client.request('consume', {
      transportId: bob.recvTransportId,
      producerId,
      rtpCapabilities: bob.rtpCapabilities,
    });
    expect(consumer).toMatchObject({ producerId, kind: 'video' });
    expect(await bob.client.request('resumeConsumer', { consumerId: consumer.id })).toEqual({
      success: true,
    });
  }, 120_000);
});

describe('fuzzing the HTTP routes', () => {
  it('answers 300 generated /dev/token bodies with 200, 400 or 413, never a failure', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
      fc.record({ userId: fc.jsonValue() }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 3_000 }),
      fc.integer({ min: 1, max: 20_000 }).map(nestedArrayJson),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const response = await fetch(`${fixture.server.url}/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        expect([200, 400, 413]).toContain(response.status);
      }),
      { numRuns: 300 },
    );
    expect((await fetch(`${fixture.server.url}/healthz`)).ok).toBe(true);
  });
});

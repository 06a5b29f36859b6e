import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedProcess, startEmbeddedProcess } from '../support/embedded-process.ts';
import { nestedArrayJson, RawPackets } from '../support/raw-packets.ts';
import { TestClient } from '../support/test-client.ts';

// The embedded default as scripts/start runs it, in its own process: a
// message that kills it must show as a dead server, not as a dead test runner.
let server: EmbeddedProcess;
beforeAll(async () => {
  server = await startEmbeddedProcess();
});
afterAll(() => server?.stop());

async function connected(): Promise<{ client: TestClient; raw: RawPackets }> {
  const client = await TestClient.connect(server.url);
  return { client, raw: new RawPackets(client.socket) };
}

describe('a message nested 30,000 deep', () => {
  const deep = nestedArrayJson(30_000); // 60 KB: under the size limit, far over the depth limit

  it('sent right after connecting (no token, no join) is answered and leaves the server up', async () => {
    const { client, raw } = await connected();
    try {
      const answer = await raw.request(`["createRoom",${deep}]`).catch((error: Error) => error.message);
      expect(answer).toEqual([{ error: 'Payload too large' }]);
      expect(await server.healthy()).toBe(true);
      // The connection goes on serving.
      expect(await client.request('join', '1')).toEqual({ success: true });
    } finally {
      client.close();
    }
  });

  it('without an ack is answered with group_call_error', async () => {
    const { client, raw } = await connected();
    try {
      raw.send(`["join",${deep}]`);
      expect(await client.waitFor('group_call_error')).toEqual({ message: 'Payload too large' });
      expect(await server.healthy()).toBe(true);
    } finally {
      client.close();
    }
  });

  it('under an unknown event name, or in a later argument, is refused the same way', async () => {
    const { client, raw } = await connected();
    try {
      for (const message of [`["no-such-event",${deep}]`, `["produce",{},{"a":${deep}}]`]) {
        expect(await raw.request(message)).toEqual([{ error: 'Payload too large' }]);
      }
      expect(await server.healthy()).toBe(true);
    } finally {
      client.close();
    }
  });
});

describe('nesting depth', () => {
  it('refuses a small message just over the limit and serves one at the limit', async () => {
    const { client, raw } = await connected();
    try {
      // The whole packet is the outer array plus the payload: 32 levels in all are allowed.
      expect(await raw.request(`["join",${nestedArrayJson(32)}]`)).toEqual([{ error: 'Payload too large' }]);
      const [answer] = await raw.request(`["join",${nestedArrayJson(31)}]`);
      expect((answer as { error: string }).error).toMatch(/^Invalid payload/);
    } finally {
      client.close();
    }
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const { client, raw } = await connected();
    try {
      expect(await raw.request(`["join",${JSON.stringify('['.repeat(5_000))}]`)).not.toEqual([
        { error: 'Payload too large' },
      ]);
    } finally {
      client.close();
    }
  });
});

describe('requests nobody handles', () => {
  it('are answered Unknown event when they ask for an answer', async () => {
    const { client, raw } = await connected();
    try {
      expect(await raw.request('["fly-to-the-moon",{}]')).toEqual([{ error: 'Unknown event' }]);
      expect(await raw.request('[42]')).toEqual([{ error: 'Unknown event' }]);
    } finally {
      client.close();
    }
  });
});

describe('HTTP bodies', () => {
  it('refuses a large /dev/token body before reading it', async () => {
    const response = await fetch(`${server.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: '1', padding: 'x'.repeat(100_000) }),
    });
    expect(response.status).toBe(413);
    expect(await server.healthy()).toBe(true);
  });
});

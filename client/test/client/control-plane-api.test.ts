import { describe, expect, it } from 'vitest';
import { ControlPlaneApi, ControlPlaneError } from '../../src/client/index.ts';

const admission = {
  conversationId: 'team-alpha',
  callType: 'video',
  endpoint: { url: 'https://media.example.test', path: '/sfu/pod-a/socket.io' },
  ticket: 'signed-ticket',
  iceServers: [
    { urls: ['turn:turn.example.test:3478?transport=udp'], username: '1780000000:1', credential: 'aGVsbG8=' },
  ],
};

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An API whose fetch answers with `answer` and records what was sent. */
function apiAnswering(answer: (sent: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  let tokens = 0;
  const api = new ControlPlaneApi({
    baseUrl: 'https://calls.example.test/',
    getAccessToken: async () => `token-${++tokens}`,
    fetch: async (input, init) => {
      const request = {
        url: String(input),
        method: init?.method ?? 'GET',
        headers: init?.headers as Record<string, string>,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      sent.push(request);
      return answer(request);
    },
  });
  return { api, sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function rejection(promise: Promise<unknown>): Promise<ControlPlaneError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ControlPlaneError);
  return error as ControlPlaneError;
}

describe('ControlPlaneApi', () => {
  it('starts a call as the signed-in user and tells a new call from one already going on', async () => {
    const { api, sent } = apiAnswering(() => json(201, { ...admission, extra: 'ignored' }));
    expect(await api.startCall('team-alpha', 'audio')).toEqual({ ...admission, created: true });
    expect(sent).toEqual([
      {
        url: 'https://calls.example.test/v1/calls',
        method: 'POST',
        headers: {
          authorization: 'Bearer token-1',
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body: { conversationId: 'team-alpha', callType: 'audio' },
      },
    ]);

    const existing = apiAnswering(() => json(200, admission));
    expect((await existing.api.startCall('team-alpha')).created).toBe(false);
    expect(existing.sent[0]?.body).toEqual({ conversationId: 'team-alpha', callType: 'video' });
  });

  it('joins, reads the status and declines, asking for the token before every request', async () => {
    const status = {
      conversationId: 'team:alpha',
      active: true,
      callType: 'video',
      startedAt: '2026-01-01T10:00:00.000Z',
      participants: 2,
    };
    const { api, sent } = apiAnswering(({ url }) => {
      if (url.endsWith('/join')) return json(200, admission);
      if (url.endsWith('/decline')) return new Response(null, { status: 204 });
      return json(200, status);
    });
    expect(await api.joinCall('team:alpha')).toEqual(admission);
    expect(await api.callStatus('team:alpha')).toEqual(status);
    await api.decline('team:alpha');
    expect(sent.map(({ method, url, headers }) => [method, url, headers.authorization])).toEqual([
      ['POST', 'https://calls.example.test/v1/calls/team%3Aalpha/join', 'Bearer token-1'],
      ['GET', 'https://calls.example.test/v1/calls/team%3Aalpha', 'Bearer token-2'],
      ['POST', 'https://calls.example.test/v1/calls/team%3Aalpha/decline', 'Bearer token-3'],
    ]);
  });

  it("rejects with the API's error code and message", async () => {
    const { api } = apiAnswering(() =>
      json(404, { error: { code: 'not-found', message: 'No active call in this conversation' } }),
    );
    const error = await rejection(api.joinCall('team-alpha'));
    expect({ status: error.status, code: error.code, message: error.message }).toEqual({
      status: 404,
      code: 'not-found',
      message: 'No active call in this conversation',
    });
  });

  it('judges an error answer by its status when its body says nothing it knows', async () => {
    const html = apiAnswering(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    expect(await rejection(html.api.callStatus('team-alpha'))).toMatchObject({
      status: 502,
      code: 'unavailable',
      message: 'The call service answered HTTP 502',
    });
    const unknown = apiAnswering(() => json(403, { error: { code: 'banned', message: 'Not you' } }));
    expect(await rejection(unknown.api.callStatus('team-alpha'))).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'Not you',
    });
  });

  it('reads an answer without iceServers (a server with no TURN, or an older one) as none', async () => {
    const { api } = apiAnswering(() => json(200, { ...admission, iceServers: undefined }));
    expect((await api.joinCall('team-alpha')).iceServers).toEqual([]);
  });

  it('refuses an answer that is not what the API documents', async () => {
    const { api } = apiAnswering(() => json(200, { ...admission, ticket: undefined }));
    expect(await rejection(api.joinCall('team-alpha'))).toMatchObject({
      status: 200,
      code: 'malformed-response',
    });
  });

  it('tells an unreachable service from a slow one', async () => {
    const down = apiAnswering(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await rejection(down.api.decline('team-alpha'))).toMatchObject({
      status: 0,
      code: 'network-error',
      message: 'Could not reach the call service: Failed to fetch',
    });

    // A fetch that never answers, and gives up only when its signal aborts (as fetch does).
    const slow = new ControlPlaneApi({
      baseUrl: 'https://calls.example.test',
      getAccessToken: async () => 'token',
      timeoutMs: 20,
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    });
    expect(await rejection(slow.decline('team-alpha'))).toMatchObject({
      status: 0,
      code: 'timeout',
      message: 'The call service did not answer within 20 ms',
    });
  });
});

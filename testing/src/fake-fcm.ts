import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A stand-in for Firebase Cloud Messaging that speaks the real FCM HTTP v1
 * wire format, so tests drive the real firebase-admin SDK:
 *
 *   POST /v1/projects/PROJECT/messages:send   Authorization: Bearer TOKEN
 *   {"message": {"token", "data", "android", "apns", ...}, "validate_only"?}
 *   → 200 {"name": "projects/PROJECT/messages/ID"}
 *   → 4xx/5xx {"error": {code, message, status, details: [{"@type": ...FcmError, errorCode}]}}
 *
 * The SDK's host is fixed (fcm.googleapis.com), so `agent` reroutes its
 * connections here; use it with `messaging.enableLegacyHttpTransport()`
 * (HTTP/1.1, one POST per token). Note that firebase-admin itself retries
 * HTTP 503 up to 4 times (0, 1, 2, 4 s apart) before reporting it.
 */

/** What the fake can answer instead of accepting a message. */
export type FcmFailure = 'unregistered' | 'invalid-token' | 'unavailable' | 'internal' | 'quota-exceeded';

export interface FcmMessage {
  token?: string;
  data?: Record<string, string>;
  android?: Record<string, unknown>;
  apns?: { headers?: Record<string, string>; payload?: Record<string, unknown> };
  [field: string]: unknown;
}

export interface FcmReceived {
  token: string;
  message: FcmMessage;
  /** 'delivered', or the failure the fake answered with. */
  outcome: 'delivered' | FcmFailure;
}

export interface FakeFcm {
  projectId: string;
  /** The address it listens on. */
  host: string;
  port: number;
  /** The OAuth access token the fake accepts. */
  accessToken: string;
  /** A firebase-admin `Credential` that hands out `accessToken`. */
  credential: { getAccessToken(): Promise<{ access_token: string; expires_in: number }> };
  /** Give it to firebase-admin as `httpAgent`: every connection it opens comes here. */
  agent: Agent;
  /**
   * How the control plane's firebase-admin reaches this fake (its
   * FirebaseMessagingOptions): this project and credential, every connection
   * through `agent`, and so HTTP/1.1 (the SDK's HTTP/2 client ignores agents).
   */
  firebaseOptions: {
    projectId: string;
    credential: FakeFcm['credential'];
    httpAgent: Agent;
    legacyHttpTransport: true;
  };
  /** Every authenticated, well-formed send, in arrival order. */
  received: FcmReceived[];
  /** The messages accepted, in arrival order. */
  delivered(): FcmReceived[];
  /** These tokens now answer UNREGISTERED (404), as FCM does for uninstalled apps. */
  unregister(...tokens: string[]): void;
  /** These tokens now answer INVALID_ARGUMENT (400): "not a valid FCM registration token". */
  invalidate(...tokens: string[]): void;
  /** The next `times` sends to `token` fail with `failure`, then it is accepted again. */
  failNext(token: string, times: number, failure: FcmFailure): void;
  /** Holds every answer until the returned `release` is called (a slow FCM). */
  hold(): () => void;
  /** Requests of any kind, including rejected ones. */
  requestCount(): number;
  stop(): Promise<void>;
}

interface ErrorAnswer {
  httpStatus: number;
  status: string;
  message: string;
  /** FcmError.errorCode, which firebase-admin maps to its `messaging/...` codes. */
  errorCode?: string;
}

const FAILURES: Record<FcmFailure, ErrorAnswer> = {
  unregistered: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Requested entity was not found.',
    errorCode: 'UNREGISTERED',
  },
  'invalid-token': {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'The registration token is not a valid FCM registration token',
    errorCode: 'INVALID_ARGUMENT',
  },
  unavailable: {
    httpStatus: 503,
    status: 'UNAVAILABLE',
    message: 'The service is currently unavailable.',
    errorCode: 'UNAVAILABLE',
  },
  internal: {
    httpStatus: 500,
    status: 'INTERNAL',
    message: 'Internal error encountered.',
    errorCode: 'INTERNAL',
  },
  'quota-exceeded': {
    httpStatus: 429,
    status: 'RESOURCE_EXHAUSTED',
    message: 'Quota exceeded for quota metric "Send requests" of service fcm.googleapis.com.',
    errorCode: 'QUOTA_EXCEEDED',
  },
};

const UNAUTHENTICATED: ErrorAnswer = {
  httpStatus: 401,
  status: 'UNAUTHENTICATED',
  message:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
};

export async function startFakeFcm(
  options: {
    projectId?: string;
    /** The address it listens on (default 127.0.0.1), e.g. a Docker network's gateway for containers. */
    host?: string;
  } = {},
): Promise<FakeFcm> {
  const projectId = options.projectId ?? 'groupcall-test';
  const host = options.host ?? '127.0.0.1';
  const accessToken = `fake-access-token-${process.pid}-${Date.now()}`;
  const received: FcmReceived[] = [];
  const dead = new Map<string, FcmFailure>();
  const failures = new Map<string, { failure: FcmFailure; remaining: number }>();
  let gate: Promise<void> | undefined;
  let requests = 0;

  const outcomeFor = (token: string): FcmReceived['outcome'] => {
    const planned = failures.get(token);
    if (planned && planned.remaining > 0) {
      planned.remaining -= 1;
      return planned.failure;
    }
    return dead.get(token) ?? 'delivered';
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    requests += 1;
    const body = await readBody(request);
    const path = new URL(request.url ?? '/', 'http://fcm').pathname;
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    if (request.method !== 'POST' || !match) {
      return answerError(response, { httpStatus: 404, status: 'NOT_FOUND', message: `No route for ${path}` });
    }
    if (request.headers.authorization !== `Bearer ${accessToken}`)
      return answerError(response, UNAUTHENTICATED);
    if (match[1] !== projectId) {
      return answerError(response, {
        httpStatus: 403,
        status: 'PERMISSION_DENIED',
        message: 'SenderId mismatch',
        errorCode: 'SENDER_ID_MISMATCH',
      });
    }
    const message = parseMessage(body);
    if (typeof message === 'string') {
      return answerError(response, { httpStatus: 400, status: 'INVALID_ARGUMENT', message });
    }
    const token = message.token ?? '';
    const outcome = outcomeFor(token);
    received.push({ token, message, outcome });
    await gate;
    if (outcome !== 'delivered') return answerError(response, FAILURES[outcome]);
    answerJson(response, 200, { name: `projects/${projectId}/messages/0:${Date.now()}%${received.length}` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      answerError(response, { httpStatus: 500, status: 'INTERNAL', message: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const agent = new FakeFcmAgent(host, port);
  const credential = { getAccessToken: async () => ({ access_token: accessToken, expires_in: 3600 }) };

  return {
    projectId,
    host,
    port,
    accessToken,
    credential,
    agent,
    firebaseOptions: { projectId, credential, httpAgent: agent, legacyHttpTransport: true },
    received,
    delivered: () => received.filter((r) => r.outcome === 'delivered'),
    unregister: (...tokens) => {
      for (const token of tokens) dead.set(token, 'unregistered');
    },
    invalidate: (...tokens) => {
      for (const token of tokens) dead.set(token, 'invalid-token');
    },
    failNext: (token, times, failure) => {
      failures.set(token, { failure, remaining: times });
    },
    hold: () => {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      return release;
    },
    requestCount: () => requests,
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends every request, whatever host it names, to the fake's address (plain HTTP). */
class FakeFcmAgent extends Agent {
  readonly #host: string;
  readonly #port: number;
  constructor(host: string, port: number) {
    super({ keepAlive: true });
    this.#host = host;
    this.#port = port;
  }
  override createConnection(): Duplex {
    return connect({ host: this.#host, port: this.#port });
  }
}

/** The request's `message`, or why FCM would reject it (the INVALID_ARGUMENT message). */
function parseMessage(body: string): FcmMessage | string {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return 'Invalid JSON payload received.';
  }
  const message = (request as { message?: unknown } | null)?.message;
  if (typeof message !== 'object' || message === null)
    return 'Request contains an invalid argument: message.';
  const { token, data } = message as FcmMessage;
  if (typeof token !== 'string' || token === '')
    return 'Request contains an invalid argument: message.token.';
  const values = Object.values(data ?? {});
  if (!values.every((value) => typeof value === 'string')) {
    return 'Invalid value at message.data: data values must be strings.';
  }
  return message as FcmMessage;
}

function answerError(response: ServerResponse, answer: ErrorAnswer): void {
  const details = answer.errorCode
    ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: answer.errorCode }]
    : undefined;
  answerJson(response, answer.httpStatus, {
    error: { code: answer.httpStatus, message: answer.message, status: answer.status, details },
  });
}

function answerJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

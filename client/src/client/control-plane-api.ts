import type { z } from 'zod';
import {
  ApiErrorBodyForClientsSchema,
  ApiErrorCodeSchema,
  type CallAdmission,
  CallAdmissionSchema,
  type CallStatus,
  CallStatusSchema,
} from '../protocol/calls-api.ts';
import type { CallType } from '../protocol/primitives.ts';
import { type ControlPlaneApiErrorCode, ControlPlaneError, messageOf } from './errors.ts';

export interface ControlPlaneApiOptions {
  /** Where the API is, e.g. `https://calls.example.com` (`/v1/...` is appended). */
  baseUrl: string;
  /**
   * The user's access token (a JWT from the Threads backend), asked for
   * before every request, so the app can hand out a refreshed one.
   */
  getAccessToken: () => Promise<string>;
  /** How long each request may take (default 10 s). */
  timeoutMs?: number;
  /** For tests and non-browser runtimes (default: the global fetch). */
  fetch?: typeof fetch;
}

/** POST /v1/calls answers 201 for a new call and 200 when one was already going on. */
export interface StartedCall extends CallAdmission {
  /** False when a call was already active in the conversation: nobody was rung, we join it. */
  created: boolean;
}

/**
 * The control plane's public API (/v1/calls), as the signed-in user. Every
 * method rejects with a ControlPlaneError; answers are validated before they
 * are returned. A rejection of `getAccessToken` is passed on as it is.
 *
 *   startCall → ring the group, get a ticket (then GroupCallClient.joinCall)
 *   joinCall  → accept a ring or join from the banner (fresh ticket each time)
 *   callStatus → is a call going on (banner after an app start)
 *   decline   → stop ringing on all of the user's devices
 */
export class ControlPlaneApi {
  readonly #baseUrl: string;
  readonly #getAccessToken: () => Promise<string>;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ControlPlaneApiOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#getAccessToken = options.getAccessToken;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    // Not the bare global: a browser's fetch must be called on window, not on this object.
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** POST /v1/calls: starts a call (rings the other members), or joins the one already going on. */
  async startCall(conversationId: string, callType: CallType = 'video'): Promise<StartedCall> {
    const { status, body } = await this.#request('POST', '/v1/calls', { conversationId, callType });
    return { ...parse(CallAdmissionSchema, body, status), created: status === 201 };
  }

  /**
   * POST /v1/calls/{id}/join: enters the active call (rejects with `not-found`
   * when there is none). The user's devices that were ringing stop.
   */
  async joinCall(conversationId: string): Promise<CallAdmission> {
    const { status, body } = await this.#request('POST', `${callPath(conversationId)}/join`, {});
    return parse(CallAdmissionSchema, body, status);
  }

  /** GET /v1/calls/{id}: whether a call is going on in the conversation. */
  async callStatus(conversationId: string): Promise<CallStatus> {
    const { status, body } = await this.#request('GET', callPath(conversationId));
    return parse(CallStatusSchema, body, status);
  }

  /** POST /v1/calls/{id}/decline: the user's devices stop ringing (`group_call_ring_stopped`). */
  async decline(conversationId: string): Promise<void> {
    await this.#request('POST', `${callPath(conversationId)}/decline`, {});
  }

  /**
   * POST to another route of the control plane, answered and failing like the
   * calls above (the sfu-worker reaches the internal API this way, as a pod).
   */
  async post(path: string, json: unknown): Promise<void> {
    await this.#request('POST', path, json);
  }

  async #request(method: string, path: string, json?: unknown): Promise<{ status: number; body: unknown }> {
    const token = await this.#getAccessToken();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        ...(json !== undefined && { body: JSON.stringify(json) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError')
        throw new ControlPlaneError(
          0,
          'timeout',
          `The call service did not answer within ${this.#timeoutMs} ms`,
        );
      throw new ControlPlaneError(
        0,
        'network-error',
        `Could not reach the call service: ${messageOf(error)}`,
      );
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) throw errorFrom(response.status, body);
    return { status: response.status, body };
  }
}

function callPath(conversationId: string): string {
  return `/v1/calls/${encodeURIComponent(conversationId)}`;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, status: number): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ControlPlaneError(status, 'malformed-response', 'The call service sent an unexpected answer');
  return parsed.data;
}

/** The API's error answer; a code this client does not know (or no error body at all) is judged by status. */
function errorFrom(status: number, body: unknown): ControlPlaneError {
  const parsed = ApiErrorBodyForClientsSchema.safeParse(body);
  const known = ApiErrorCodeSchema.safeParse(parsed.data?.error.code);
  const message = parsed.success ? parsed.data.error.message : `The call service answered HTTP ${status}`;
  return new ControlPlaneError(status, known.success ? known.data : codeOf(status), message);
}

function codeOf(status: number): ControlPlaneApiErrorCode {
  switch (status) {
    case 400:
      return 'invalid-request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload-too-large';
    case 429:
      return 'too-many-requests';
    default:
      // 502–504 come from proxies in front of a service that is down or restarting.
      return status === 500 ? 'internal' : status > 500 ? 'unavailable' : 'invalid-request';
  }
}

import { CallError, type CallErrorCode } from '@groupcall/shared/calls';
import type { CallType } from '@groupcall/shared/protocol';
import { z } from 'zod';

const JoinAnswerSchema = z.object({
  endpoint: z.object({ url: z.string(), path: z.string() }),
  ticket: z.string(),
});
export type JoinAnswer = z.infer<typeof JoinAnswerSchema>;

const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const codeByStatus: Record<number, CallErrorCode> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  429: 'too-many-requests',
};

/**
 * A pod's calls to the control plane on behalf of a connected user, with the
 * user's own access token: the pod never reads the database, so seed-style
 * socket requests that need it (group_call_initiate, createRoom without a
 * ticket) are answered by the control plane.
 */
export interface ControlPlaneClientOptions {
  baseUrl: string;
  /** Proves to the internal API that the caller is one of our pods. */
  serviceToken: () => Promise<string>;
  /** The embedded default passes the control plane's own in-process handler. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class ControlPlaneClient {
  readonly #baseUrl: string;
  readonly #serviceToken: () => Promise<string>;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: ControlPlaneClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#serviceToken = options.serviceToken;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  async initiate(accessToken: string, conversationId: string, callType: CallType): Promise<JoinAnswer> {
    return JoinAnswerSchema.parse(await this.#post(accessToken, '/v1/calls', { conversationId, callType }));
  }

  async join(accessToken: string, conversationId: string): Promise<JoinAnswer> {
    const path = `/v1/calls/${encodeURIComponent(conversationId)}/join`;
    return JoinAnswerSchema.parse(await this.#post(accessToken, path, {}));
  }

  /** A device of the user entered the call: the control plane stops their other devices ringing. */
  async reportAnswered(conversationId: string, userId: string): Promise<void> {
    const path = `/internal/v1/calls/${encodeURIComponent(conversationId)}/answered`;
    await this.#post(await this.#serviceToken(), path, { userId });
  }

  /** The call's room emptied on this pod. */
  async reportEnded(conversationId: string): Promise<void> {
    await this.#post(
      await this.#serviceToken(),
      `/internal/v1/calls/${encodeURIComponent(conversationId)}/ended`,
      {},
    );
  }

  async #post(bearer: string, path: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new CallError('unavailable', `Control plane unreachable: ${(error as Error).message}`);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) return json; // a 204 has no body: undefined
    const failure = ErrorBodySchema.safeParse(json);
    const message = failure.success
      ? failure.data.error.message
      : `Control plane answered ${response.status}`;
    throw new CallError(codeByStatus[response.status] ?? 'unavailable', message);
  }
}

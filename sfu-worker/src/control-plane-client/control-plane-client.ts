import { CallError, type CallErrorCode } from '@groupcall/shared/calls';
import { ControlPlaneApi, ControlPlaneError } from '@groupcall/shared/control-plane-api';
import type { CallAdmission, CallType } from '@groupcall/shared/protocol';

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

/**
 * The public API through the SDK's ControlPlaneApi (one client for /v1, its
 * answers validated the same way), the internal API with the pod's service
 * token. Every failure is a CallError, as the signalling layer answers them.
 */
export class ControlPlaneClient {
  readonly #options: ControlPlaneClientOptions & { timeoutMs: number };
  /** As a pod, the internal API: the service token in place of a user's. */
  readonly #internal: ControlPlaneApi;

  constructor(options: ControlPlaneClientOptions) {
    this.#options = { ...options, timeoutMs: options.timeoutMs ?? 5_000 };
    this.#internal = this.#api(options.serviceToken);
  }

  initiate(accessToken: string, conversationId: string, callType: CallType): Promise<CallAdmission> {
    return callErrors(this.#api(async () => accessToken).startCall(conversationId, callType));
  }

  join(accessToken: string, conversationId: string): Promise<CallAdmission> {
    return callErrors(this.#api(async () => accessToken).joinCall(conversationId));
  }

  /** A device of the user entered the call: the control plane stops their other devices ringing. */
  reportAnswered(conversationId: string, callId: string, userId: string): Promise<void> {
    return callErrors(
      this.#internal.post(`${internalCallPath(conversationId)}/answered`, { userId, callId }),
    );
  }

  /** A device entered or left the call's room on this pod. */
  reportParticipant(
    conversationId: string,
    callId: string,
    change: 'joined' | 'left',
    device: { userId: string; socketId: string },
  ): Promise<void> {
    return callErrors(
      this.#internal.post(`${internalCallPath(conversationId)}/participants/${change}`, {
        callId,
        userId: device.userId,
        socketId: device.socketId,
      }),
    );
  }

  /** The call's room closed on this pod: that call is over. */
  reportEnded(conversationId: string, callId: string): Promise<void> {
    return callErrors(this.#internal.post(`${internalCallPath(conversationId)}/ended`, { callId }));
  }

  #api(getAccessToken: () => Promise<string>): ControlPlaneApi {
    const { baseUrl, fetch, timeoutMs } = this.#options;
    return new ControlPlaneApi({ baseUrl, getAccessToken, timeoutMs, ...(fetch && { fetch }) });
  }
}

function internalCallPath(conversationId: string): string {
  return `/internal/v1/calls/${encodeURIComponent(conversationId)}`;
}

/** The control plane's refusals keep their meaning; anything else (unreachable, 5xx) is 'unavailable'. */
async function callErrors<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (!(error instanceof ControlPlaneError)) throw error;
    throw new CallError(codeByStatus[error.status] ?? 'unavailable', error.message);
  }
}

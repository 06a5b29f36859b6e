/** Errors the client SDK rejects with, so callers can tell them apart. */

import type { ApiErrorCode, SfuEndpoint } from '../protocol/calls-api.ts';

/** The server answered a request with `{ error }`; `message` is the wire error string. */
export class SignallingError extends Error {
  readonly event: string;
  /** With "This call is hosted on another server": where the call is (connect there instead). */
  readonly endpoint: SfuEndpoint | undefined;
  constructor(event: string, message: string, endpoint?: SfuEndpoint) {
    super(message);
    this.name = 'SignallingError';
    this.event = event;
    this.endpoint = endpoint;
  }
}

/** The server did not answer a request in time. */
export class RequestTimeoutError extends Error {
  readonly event: string;
  constructor(event: string, timeoutMs: number) {
    super(`${event} got no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
    this.event = event;
  }
}

/** A join was abandoned because the user left, or the call ended, before it finished. */
export class JoinCancelledError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JoinCancelledError';
  }
}

/** The `code` of a control-plane error answer (see the API's error responses). */
export type ControlPlaneApiErrorCode = ApiErrorCode;

/**
 * What went wrong talking to the control plane:
 * - the API's own codes, from its `{ error: { code, message } }` answer;
 * - `network-error` (no answer at all) and `timeout`, both with status 0;
 * - `malformed-response`: an answer that is not what the API documents.
 */
export type ControlPlaneErrorCode =
  | ControlPlaneApiErrorCode
  | 'network-error'
  | 'timeout'
  | 'malformed-response';

/** A control-plane request failed; `message` is a sentence for people, match on `code`. */
export class ControlPlaneError extends Error {
  /** The HTTP status, or 0 when no answer came. */
  readonly status: number;
  readonly code: ControlPlaneErrorCode;
  constructor(status: number, code: ControlPlaneErrorCode, message: string) {
    super(message);
    this.name = 'ControlPlaneError';
    this.status = status;
    this.code = code;
  }
}

/** The message of anything thrown, for an error report. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors the client SDK rejects with, so callers can tell them apart. */

/** The server answered a request with `{ error }`; `message` is the wire error string. */
export class SignallingError extends Error {
  readonly event: string;
  constructor(event: string, message: string) {
    super(message);
    this.name = 'SignallingError';
    this.event = event;
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

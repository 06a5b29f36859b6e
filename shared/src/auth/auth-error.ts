import { CallError } from '../calls/call-error.ts';

/** Why an access token was refused; logged and counted, never shown to the client in more detail. */
export type AuthFailure = 'missing-token' | 'expired' | 'invalid';

const messages: Record<AuthFailure, string> = {
  'missing-token': 'Missing bearer token',
  expired: 'Access token expired',
  invalid: 'Access token is invalid',
};

/**
 * A refused access token (HTTP 401, or a refused Socket.IO handshake).
 * `detail` says exactly what was wrong (bad signature, wrong audience, …) for
 * the logs; the client only gets the short message.
 */
export class AuthError extends CallError {
  readonly failure: AuthFailure;
  readonly detail: string | undefined;

  constructor(failure: AuthFailure, detail?: string) {
    super('unauthenticated', messages[failure]);
    this.name = 'AuthError';
    this.failure = failure;
    this.detail = detail;
  }
}

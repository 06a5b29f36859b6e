import { CallError } from '../calls/call-error.ts';

/** Why a service token was refused. */
export type ServiceTokenFailure = 'missing' | 'expired' | 'invalid';

const messages: Record<ServiceTokenFailure, string> = {
  missing: 'A service token is required',
  expired: 'Service token expired',
  invalid: 'Service token is invalid',
};

/**
 * A refused service token (HTTP 401 on the internal API). `detail` says
 * exactly what was wrong (bad signature, a ticket instead, …) for the logs;
 * the caller only gets the short message.
 */
export class ServiceTokenError extends CallError {
  readonly failure: ServiceTokenFailure;
  readonly detail: string | undefined;

  constructor(failure: ServiceTokenFailure, detail?: string) {
    super('unauthenticated', messages[failure]);
    this.name = 'ServiceTokenError';
    this.failure = failure;
    this.detail = detail;
  }
}

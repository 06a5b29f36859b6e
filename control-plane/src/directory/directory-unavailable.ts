import { CallError } from '@groupcall/shared/calls';

/**
 * The directory could not answer in time (PlanetScale down, slow, or
 * answering errors): 503 with Retry-After for the client, the cause for the
 * log. Never a 500 (nothing is wrong with the request) and never a hang.
 */
export class DirectoryUnavailableError extends CallError {
  constructor(cause: unknown) {
    super('unavailable', 'The directory is temporarily unavailable, try again shortly');
    this.name = 'DirectoryUnavailableError';
    this.cause = cause;
  }
}

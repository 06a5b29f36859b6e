import { CallError, type CallErrorCode } from '../calls/call-error.ts';

/** Why a ticket was refused. */
export type TicketFailure = 'missing' | 'expired' | 'invalid' | 'wrong-conversation' | 'wrong-pod';

const refusal: Record<TicketFailure, { code: CallErrorCode; message: string }> = {
  missing: { code: 'unauthenticated', message: 'A ticket is required: join the call through the API first' },
  expired: { code: 'unauthenticated', message: 'Ticket expired: join the call through the API again' },
  invalid: { code: 'unauthenticated', message: 'Ticket is invalid' },
  'wrong-conversation': { code: 'forbidden', message: 'Ticket is for another conversation' },
  // The call moved (or the client connected to the wrong pod): asking the
  // API again gives the current endpoint.
  'wrong-pod': {
    code: 'conflict',
    message: 'Ticket is for another server: join the call through the API again',
  },
};

/**
 * A refused ticket. `message` is what the client sees (a createRoom ack
 * error); `detail` says exactly what did not match, for the logs.
 */
export class TicketError extends CallError {
  readonly failure: TicketFailure;
  readonly detail: string | undefined;

  constructor(failure: TicketFailure, detail?: string) {
    super(refusal[failure].code, refusal[failure].message);
    this.name = 'TicketError';
    this.failure = failure;
    this.detail = detail;
  }
}

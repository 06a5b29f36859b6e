import { ErrorMessage, type ErrorMessageText } from '../protocol.ts';

/** Why a call request was refused; `message` is the wire error string. */
export type CallErrorCode =
  | 'invalid-request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unavailable'
  | 'too-many-requests';

export class CallError extends Error {
  readonly code: CallErrorCode;
  /** Extra fields for the client beside the message (e.g. the endpoint that hosts a call). */
  readonly details: Record<string, unknown> | undefined;
  constructor(code: CallErrorCode, message: ErrorMessageText | string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CallError';
    this.code = code;
    this.details = details;
  }

  static notInGroup(): CallError {
    return new CallError('forbidden', ErrorMessage.notInGroup);
  }
  static unknownConversation(): CallError {
    return new CallError('not-found', ErrorMessage.unknownConversation);
  }
}

import type { Logger } from '@groupcall/shared/logging';

/** What every request carries through the middleware (Hono context variables). */
export interface AppEnv {
  Variables: {
    /** From x-request-id when the caller sent a sane one, else generated; echoed in the response. */
    requestId: string;
    /** The service logger with this request's id bound. */
    log: Logger;
  };
}

/** Requests under /v1, after the access token was verified. */
export interface AuthenticatedEnv {
  Variables: AppEnv['Variables'] & {
    /** The token's subject: the only source of the caller's identity. */
    userId: string;
  };
}

/** Requests under /internal, after the service token was verified. */
export interface ServiceEnv {
  Variables: AppEnv['Variables'] & {
    /** The sfu-worker pod that signed the service token. */
    podName: string;
  };
}

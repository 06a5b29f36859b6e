import { CallError } from '@groupcall/shared/calls';
import { ErrorMessage } from '@groupcall/shared/protocol';

/**
 * Who a connection is. The seed's `join(userId)` is kept for wire
 * compatibility, but the id it claims must match an authenticated identity;
 * only an explicit development mode trusts the claim as it is.
 */
export interface IdentityPolicy {
  /** Loudly named so that logs at start-up show an insecure mode. */
  readonly name: string;
  /**
   * The user a `join(claimedUserId)` makes this connection, given what the
   * handshake authenticated (undefined when nothing was). Throws a CallError.
   */
  admitJoin(authenticatedUserId: string | undefined, claimedUserId: string): string;
  /**
   * Development only: an access token for a trusted-but-unauthenticated user,
   * so requests forwarded to the control plane carry one as in production.
   */
  devAccessToken?(userId: string): Promise<string>;
}

/**
 * Development only: join(userId) is believed (anyone can be anyone), unless
 * the handshake did authenticate a user, who then must not claim another.
 */
export function trustClaimedIdentity(devAccessToken: (userId: string) => Promise<string>): IdentityPolicy {
  return {
    name: 'dev-trust-client (INSECURE: join(userId) is not authenticated)',
    admitJoin(authenticated, claimed) {
      if (authenticated && authenticated !== claimed)
        throw new CallError('forbidden', ErrorMessage.identityMismatch);
      return claimed;
    },
    devAccessToken,
  };
}

/** Production: the handshake must have authenticated the user, and join must name that user. */
export const requireAuthenticatedIdentity: IdentityPolicy = {
  name: 'authenticated',
  admitJoin(authenticated, claimed) {
    if (!authenticated) throw new CallError('unauthenticated', ErrorMessage.authenticationRequired);
    if (authenticated !== claimed) throw new CallError('forbidden', ErrorMessage.identityMismatch);
    return authenticated;
  },
};

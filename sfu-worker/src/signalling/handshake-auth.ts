import { type AccessTokenVerifier, bearerToken } from '@groupcall/shared/auth';
import { CallError } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import { ErrorMessage, RenewTokenPayloadSchema } from '@groupcall/shared/protocol';
import type { Server, Socket } from 'socket.io';
import type { RequestObserver } from '../metrics/sfu-metrics.ts';
import { onRequest } from './request.ts';
import { TokenExpiry } from './token-expiry.ts';

/**
 * Authenticates a connection from its handshake: `auth: { token }` (what
 * socket.io-client sends) or an `Authorization: Bearer` header (native
 * clients). A connection without a token may connect, but `join` then fails
 * with "Authentication required"; a bad token is refused at once. A socket
 * authenticated this way ends when its token expires, unless the client
 * renews it (`renewToken`, see TokenExpiry).
 */
export function authenticateHandshakes(
  io: Server,
  verifier: AccessTokenVerifier,
  log: Logger,
  requests: RequestObserver,
): void {
  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const token =
      typeof auth?.token === 'string' ? auth.token : bearerToken(socket.handshake.headers.authorization);
    if (!token) return next();
    try {
      const user = await verifier.verify(token);
      socket.data.userId = user.userId;
      socket.data.accessToken = token;
      socket.data.accessTokenExpiresAt = user.expiresAt;
      next();
    } catch (error) {
      log.info({ reason: (error as Error).message }, 'handshake refused');
      next(new Error(`Invalid access token: ${(error as Error).message}`));
    }
  });
  io.on('connection', (socket) => endWithItsToken(socket, verifier, log, requests));
}

function endWithItsToken(
  socket: Socket,
  verifier: AccessTokenVerifier,
  log: Logger,
  requests: RequestObserver,
): void {
  const expiresAt: unknown = socket.data.accessTokenExpiresAt;
  if (typeof expiresAt !== 'number') return;
  const expiry = new TokenExpiry(socket, expiresAt, log);
  onRequest(socket, { log: () => log, observer: requests }, 'renewToken', {
    schema: RenewTokenPayloadSchema,
    handle: async ({ token }) => {
      const user = await verifier.verify(token);
      if (user.userId !== socket.data.userId)
        throw new CallError('forbidden', ErrorMessage.renewTokenOtherUser);
      socket.data.accessToken = token;
      expiry.renew(user.expiresAt);
      return { success: true };
    },
  });
}

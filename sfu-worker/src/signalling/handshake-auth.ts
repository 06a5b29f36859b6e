import { type AccessTokenVerifier, bearerToken } from '@groupcall/shared/auth';
import type { Logger } from '@groupcall/shared/logging';
import type { Server } from 'socket.io';

/**
 * Authenticates a connection from its handshake: `auth: { token }` (what
 * socket.io-client sends) or an `Authorization: Bearer` header (native
 * clients). A connection without a token may connect, but `join` then fails
 * with "Authentication required"; a bad token is refused at once.
 */
export function authenticateHandshakes(io: Server, verifier: AccessTokenVerifier, log: Logger): void {
  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const token =
      typeof auth?.token === 'string' ? auth.token : bearerToken(socket.handshake.headers.authorization);
    if (!token) return next();
    try {
      const user = await verifier.verify(token);
      socket.data.userId = user.userId;
      socket.data.accessToken = token;
      next();
    } catch (error) {
      log.info({ reason: (error as Error).message }, 'handshake refused');
      next(new Error(`Invalid access token: ${(error as Error).message}`));
    }
  });
}

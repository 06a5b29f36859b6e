import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { SfuEndpoint } from '../protocol/calls-api.ts';
import type { GroupCallSocket } from './socket-request.ts';
import { TokenRenewal } from './token-renewal.ts';

export interface CallSocketOptions {
  /**
   * The user's access token for the handshake (`auth: { token }`). Given as
   * a function, it is asked for on every connection and reconnection, so a
   * socket that reconnects hours later presents a fresh token, and again
   * before the token expires, to renew it on the open socket (the server ends
   * a socket whose token expired). Given as a string, the socket ends with it.
   */
  accessToken: string | (() => Promise<string>);
  /** Further socket.io-client options; `path` and `auth` come from the endpoint and the token. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/**
 * Opens the Socket.IO connection to a call's endpoint (from the control
 * plane's startCall/joinCall answer), authenticated with the user's access
 * token: then `join(userId)` must name that same user.
 */
export function openCallSocket(endpoint: SfuEndpoint, options: CallSocketOptions): GroupCallSocket {
  const { accessToken } = options;
  if (typeof accessToken === 'string')
    return io(endpoint.url, { ...options.socketOptions, path: endpoint.path, auth: { token: accessToken } });
  let handshakeToken: string | undefined;
  const auth = (callback: (data: object) => void) => {
    // Without a token the server still connects, and answers `join` with
    // "Authentication required" (a group_call_error the client reports).
    accessToken().then(
      (token) => {
        handshakeToken = token;
        callback({ token });
      },
      () => callback({}),
    );
  };
  const socket: GroupCallSocket = io(endpoint.url, { ...options.socketOptions, path: endpoint.path, auth });
  const renewal = new TokenRenewal(socket, accessToken);
  socket.on('connect', () => {
    if (handshakeToken !== undefined) renewal.connectedWith(handshakeToken);
  });
  return socket;
}

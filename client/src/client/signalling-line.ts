import type { SfuEndpoint } from '../protocol/calls-api.ts';
import { createSocketRequest, type GroupCallSocket, type SocketRequest } from './socket-request.ts';

/**
 * The signalling socket the client speaks through now. It starts as the
 * socket the app gave; when a call moves to another pod (its pod shut down,
 * or the call was placed elsewhere) the client opens a socket at the new
 * pod's endpoint with the app's `openSocket` and leaves the old one, which is
 * closed: the pod behind it no longer hosts the call and is usually going away.
 */
export class SignallingLine {
  readonly #requestTimeoutMs: number | undefined;
  readonly #openSocket: ((endpoint: SfuEndpoint) => GroupCallSocket) | undefined;
  #socket: GroupCallSocket;
  #request: SocketRequest;
  /** Where the current socket goes, when the client opened it (the app's own: unknown). */
  #endpoint: SfuEndpoint | undefined;

  constructor(
    socket: GroupCallSocket,
    options: {
      requestTimeoutMs?: number | undefined;
      openSocket?: (endpoint: SfuEndpoint) => GroupCallSocket;
    },
  ) {
    this.#socket = socket;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#openSocket = options.openSocket;
    this.#request = createSocketRequest(socket, this.#requestTimeoutMs);
  }

  get socket(): GroupCallSocket {
    return this.#socket;
  }

  /** Acked requests on whichever socket is current when each is made. */
  readonly request: SocketRequest = (event, ...payload) => this.#request(event, ...payload);

  /** Whether the app gave a way to open sockets elsewhere (else the client stays on its socket). */
  get canMove(): boolean {
    return this.#openSocket !== undefined;
  }

  /**
   * Moves to a socket at `endpoint`: answers the new socket, or undefined when
   * the current one already goes there or no socket can be opened.
   */
  moveTo(endpoint: SfuEndpoint): GroupCallSocket | undefined {
    if (!this.#openSocket || (this.#endpoint && sameEndpoint(this.#endpoint, endpoint))) return undefined;
    const left = this.#socket;
    this.#socket = this.#openSocket(endpoint);
    this.#endpoint = endpoint;
    this.#request = createSocketRequest(this.#socket, this.#requestTimeoutMs);
    left.disconnect();
    return this.#socket;
  }
}

function sameEndpoint(a: SfuEndpoint, b: SfuEndpoint): boolean {
  return a.url === b.url && a.path === b.path;
}

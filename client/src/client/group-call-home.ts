import type { SfuEndpoint } from '../protocol/calls-api.ts';
import { type CallSocketOptions, openCallSocket } from './call-socket.ts';
import { SignallingError } from './errors.ts';
import { GroupCallClient, type GroupCallClientOptions, type JoinCallOptions } from './group-call-client.ts';
import type { GroupCallSocket } from './socket-request.ts';

/** The stable signalling path every media server answers on (the chart routes it to any ready pod). */
export const HOME_SOCKET_PATH = '/socket.io';

export interface GroupCallHomeOptions extends CallSocketOptions {
  /** Base URL of the signalling ingress, e.g. `https://calls.example.com` (embedded default: its own URL). */
  url: string;
  /**
   * The home path (default `/socket.io`). Sockets try WebSocket first and
   * fall back to long-polling (set `socketOptions.transports` to choose).
   */
  path?: string;
  /** The signed-in user: every socket of this home joins as them. */
  userId: string;
  /** For the home client and the client of each call entered elsewhere. */
  clientOptions?: GroupCallClientOptions;
  /** Opens a socket to an endpoint (default: openCallSocket with these options; tests put a fake here). */
  openSocket?: (endpoint: SfuEndpoint) => GroupCallSocket;
}

export interface EnterCallOptions extends JoinCallOptions {
  /**
   * Where the call is hosted: the `endpoint` of the control plane's
   * admission answer (startCall/joinCall), given with its `ticket`. Without
   * it the home server is asked (the guide's flow, no ticket), and its "This
   * call is hosted on another server" answer is followed.
   */
  endpoint?: SfuEndpoint;
}

/**
 * Where an app is reachable while it is in no call, and the way into a call
 * from there. The home socket sits on the stable path (`/socket.io`) that
 * the deployment routes to any ready media server, with affinity; whichever
 * server hosts a call, `client` hears its `incomingCall`, `callStarted`,
 * `ringStopped` and `callEnded`. Calls are entered with `enterCall`: one
 * hosted elsewhere gets a socket of its own to the server hosting it, closed
 * again once the call is over for this device, while the home socket stays.
 */
export class GroupCallHome {
  /** The home socket: open for as long as the app wants to be rung. */
  readonly socket: GroupCallSocket;
  /** The home socket's client: listen here for rings and banners. */
  readonly client: GroupCallClient;
  readonly #endpoint: SfuEndpoint;
  readonly #options: GroupCallHomeOptions;
  readonly #openSocket: (endpoint: SfuEndpoint) => GroupCallSocket;
  /** The client of the call we are in on another server, and the socket opened for it. */
  #away: { client: GroupCallClient; socket: GroupCallSocket } | undefined;

  constructor(options: GroupCallHomeOptions) {
    this.#options = options;
    this.#endpoint = { url: options.url, path: options.path ?? HOME_SOCKET_PATH };
    this.#openSocket =
      options.openSocket ?? ((endpoint) => openCallSocket(endpoint, withHomeTransports(options)));
    this.socket = this.#openSocket(this.#endpoint);
    this.client = new GroupCallClient(this.socket, options.clientOptions);
    this.client.join(options.userId);
  }

  /** The client of the call we are in (the home client when it is hosted there), if any. */
  get call(): GroupCallClient | undefined {
    if (this.#away) return this.#away.client;
    return this.client.state === 'idle' ? undefined : this.client;
  }

  /**
   * Enters a call where it is hosted and resolves with the client in it
   * (media events, leave(), mute...); rejects as GroupCallClient.joinCall.
   */
  async enterCall(conversationId: string, options: EnterCallOptions = {}): Promise<GroupCallClient> {
    const inCall = this.call;
    if (inCall) throw new Error(`Already in call ${inCall.conversationId}: leave() it first`);
    const { endpoint, ...join } = options;
    if (endpoint && !sameEndpoint(endpoint, this.#endpoint))
      return this.#enterAway(endpoint, conversationId, join);
    try {
      await this.client.joinCall(conversationId, join);
      return this.client;
    } catch (error) {
      // Only the guide's flow asks the home server where the call is; an endpoint given is the answer.
      const hostedAt = error instanceof SignallingError && !endpoint ? error.endpoint : undefined;
      if (!hostedAt) throw error;
      return this.#enterAway(hostedAt, conversationId, join);
    }
  }

  /** Leaves any call and closes every socket: the app is no longer reachable here. */
  close(): void {
    this.#away?.client.leave();
    this.#closeAway();
    this.client.leave();
    this.socket.close();
  }

  async #enterAway(
    endpoint: SfuEndpoint,
    conversationId: string,
    join: JoinCallOptions,
  ): Promise<GroupCallClient> {
    const socket = this.#openSocket(endpoint);
    const client = new GroupCallClient(socket, this.#options.clientOptions);
    const away = { client, socket };
    this.#away = away;
    // The socket is there for this call only: once the client is idle again
    // (left, ended, or could not enter), it closes.
    client.on('stateChange', ({ state }) => {
      if (state === 'idle') this.#closeAway(away);
    });
    client.join(this.#options.userId);
    await client.joinCall(conversationId, join);
    return client;
  }

  #closeAway(away = this.#away): void {
    if (!away) return;
    away.socket.close();
    if (this.#away === away) this.#away = undefined;
  }
}

/**
 * WebSocket first: one connection that stays on the pod it reached, so the
 * home path needs no affinity. Long-polling only where WebSockets fail; its
 * requests reach one pod only through the ingress's affinity cookie.
 */
function withHomeTransports(options: CallSocketOptions): CallSocketOptions {
  return {
    ...options,
    socketOptions: { transports: ['websocket', 'polling'], tryAllTransports: true, ...options.socketOptions },
  };
}

function sameEndpoint(a: SfuEndpoint, b: SfuEndpoint): boolean {
  return a.path === b.path && a.url.replace(/\/+$/, '') === b.url.replace(/\/+$/, '');
}

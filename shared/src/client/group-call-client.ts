import { Device } from 'mediasoup-client';
import type { z } from 'zod';
import { GetProducersAckSchema } from '../protocol/client-events.ts';
import type { CallType } from '../protocol/primitives.ts';
import {
  CallInterruptedSchema,
  ConsumerClosedSchema,
  GroupCallEndedSchema,
  GroupCallErrorSchema,
  GroupCallIncomingSchema,
  GroupCallRingStoppedSchema,
  GroupCallStartedSchema,
  NewProducerSchema,
  ParticipantLeftSchema,
} from '../protocol/server-events.ts';
import type { ServerToClientEvents } from '../protocol/socket-events.ts';
import type { CallState, GroupCallClientEvents } from './client-events.ts';
import { ControlPlaneError, JoinCancelledError } from './errors.ts';
import { MediaSession } from './media-session.ts';
import { inboundRtpTotals, type RemoteTrackStats } from './receive-stats.ts';
import { RemoteParticipants, type RemoteProducer } from './remote-participants.ts';
import { createSocketRequest, type GroupCallSocket, type SocketRequest } from './socket-request.ts';
import { TypedEmitter } from './typed-emitter.ts';
import { untilAborted } from './until-aborted.ts';

/** After the server interrupts a call, set up its media this many times before giving up. */
const REJOIN_ATTEMPTS = 3;
/** Wait before the second rejoin attempt; doubles for each further one. */
const REJOIN_BACKOFF_MS = 500;

export interface GroupCallClientOptions {
  /** How long each acked request may take (default 10 s). */
  requestTimeoutMs?: number;
  /** Makes the mediasoup Device for each room membership (default: `new Device()`, browser detection). */
  createDevice?: () => Device;
}

export interface JoinCallOptions {
  /**
   * Local tracks to send: any mix of audio and video, or none to only
   * receive. They stay the caller's: the client never stops them.
   */
  tracks?: readonly MediaStreamTrack[];
  /**
   * A signed ticket from the control plane (its startCall/joinCall answer),
   * passed on in `createRoom`. Without `renewTicket` it is reused for every
   * rejoin; without either, the seed flow: `createRoom` carries no ticket.
   */
  ticket?: string;
  /**
   * Asks the control plane for a fresh ticket, e.g.
   * `() => api.joinCall(conversationId).then((a) => a.ticket)`. Tickets
   * expire about 2 minutes after they are issued, so every set-up after the
   * first (a rejoin after `callInterrupted` or a reconnection, a retry) asks
   * for a new one, and so does the first when no `ticket` is given.
   * A `not-found` ControlPlaneError means the call is over: the client ends
   * it (`callEnded`); a `forbidden` one gives up at once.
   */
  renewTicket?: () => Promise<string>;
}

/** Socket.IO's `on` without its per-event typing (see #onServerEvent). */
interface UntypedListeners {
  on(event: string, listener: (payload: unknown) => void): unknown;
}

/** The call we are in or joining, kept across rejoins. */
interface Call {
  readonly conversationId: string;
  readonly tracks: readonly MediaStreamTrack[];
  /** The ticket for the next set-up; with renewTicket, each ticket is used once. */
  ticket: string | undefined;
  readonly renewTicket: (() => Promise<string>) | undefined;
  /** The media set-up under way; aborting it stops that attempt. */
  attempt: AbortController | undefined;
  session: MediaSession | undefined;
}

/**
 * A browser client for group calls (Socket.IO signalling + mediasoup-client),
 * following the integration guide's flow:
 *
 *   join(userId) → [initiate()] → joinCall(): createRoom → Device.load →
 *   send + recv transports (together) → produce local tracks, and meanwhile getProducers → consume
 *   each → resumeConsumer; then every `newProducer` while in the call.
 *
 * The client removes tracks of participants who leave (`participantLeft`) or
 * stop producing (`consumerClosed`), ends the call when the server says it
 * ended, and rejoins on its own when the server interrupts the call's media
 * (`callInterrupted`) or the connection is re-established.
 * The app listens to typed events (see GroupCallClientEvents).
 */
export class GroupCallClient extends TypedEmitter<GroupCallClientEvents> {
  readonly #socket: GroupCallSocket;
  readonly #request: SocketRequest;
  readonly #createDevice: () => Device;
  readonly #remotes = new RemoteParticipants();
  #userId: string | undefined;
  #state: CallState = 'idle';
  #call: Call | undefined;
  /**
   * The latest media set-up, settled only once it has cleaned up after
   * itself. An abandoned set-up may still be waiting for `createRoom` and
   * will then send `leaveRoom`; the next one waits for it, so the server
   * never sees that `leaveRoom` after the next `createRoom`.
   */
  #lastSetUp: Promise<unknown> = Promise.resolve();

  constructor(socket: GroupCallSocket, options: GroupCallClientOptions = {}) {
    super();
    this.#socket = socket;
    this.#request = createSocketRequest(socket, options.requestTimeoutMs);
    this.#createDevice = options.createDevice ?? (() => new Device());
    this.#listen();
  }

  get state(): CallState {
    return this.#state;
  }

  /** The call we are in, joining or rejoining. */
  get conversationId(): string | undefined {
    return this.#call?.conversationId;
  }

  get userId(): string | undefined {
    return this.#userId;
  }

  /** Registers this connection as `userId`; repeated automatically after a reconnection. */
  join(userId: string): void {
    this.#userId = userId;
    this.#socket.emit('join', userId);
  }

  /**
   * Rings the group's other members (`group_call_initiate`, as the joined
   * user). It does not join the call: call joinCall() next, as the guide says.
   */
  initiate({ conversationId, callType = 'video' }: { conversationId: string; callType?: CallType }): void {
    if (this.#userId === undefined) throw new Error('Call join(userId) before initiate()');
    this.#socket.emit('group_call_initiate', { callerId: this.#userId, conversationId, callType });
  }

  /**
   * Joins (or starts) the call of a conversation: resolves once our tracks
   * are sent and everyone already there is received. Rejects with the
   * server's error (SignallingError), a RequestTimeoutError, what
   * `renewTicket` rejected with (a ControlPlaneError), or a
   * JoinCancelledError when leave() or the call's end came first.
   */
  async joinCall(conversationId: string, options: JoinCallOptions = {}): Promise<void> {
    if (this.#call) throw new Error(`Already in call ${this.#call.conversationId}: leave() it first`);
    const call: Call = {
      conversationId,
      tracks: [...(options.tracks ?? [])],
      ticket: options.ticket,
      renewTicket: options.renewTicket,
      attempt: undefined,
      session: undefined,
    };
    this.#call = call;
    this.#setState('joining');
    await this.#connect(call, 1);
  }

  /** Leaves the call (`leaveRoom`) and closes all its media; local tracks keep running. */
  leave(): void {
    if (this.#call) this.#end(this.#call, 'Left the call');
  }

  /** Inbound RTP counters of every remote track being received. */
  async getReceiveStats(): Promise<RemoteTrackStats[]> {
    const received = this.#remotes.received();
    const reports = await Promise.allSettled(received.map(({ consumer }) => consumer.getStats()));
    // A track that closed while its stats were read has none any more: it is left out.
    return received.flatMap(({ socketId, producerId, kind, participantInfo }, index) => {
      const report = reports[index];
      if (report?.status !== 'fulfilled') return [];
      return [{ socketId, producerId, kind, participantInfo, ...inboundRtpTotals(report.value) }];
    });
  }

  /**
   * Sets up the call's media, trying up to `attempts` times. An interruption
   * during an attempt starts over, with the rejoin budget.
   */
  async #connect(call: Call, attempts: number): Promise<void> {
    let failures = 0;
    for (;;) {
      const attempt = new AbortController();
      call.attempt = attempt;
      const setUp = this.#lastSetUp.then(() => this.#setUpMedia(call, attempt.signal));
      this.#lastSetUp = setUp.catch(() => undefined);
      try {
        // Leaving, the call's end or an interruption take effect at once, not after a slow request.
        await untilAborted(setUp, attempt.signal);
        call.attempt = undefined;
        this.#setState('in-call');
        return;
      } catch (error) {
        // Left or ended meanwhile: #end already cleaned up, and its reason says why.
        if (this.#call !== call) throw attempt.signal.aborted ? attempt.signal.reason : error;
        this.#dropMedia(call);
        if (attempt.signal.aborted) {
          // Interrupted (#interrupt aborts without ending the call): rejoin.
          failures = 0;
          attempts = REJOIN_ATTEMPTS;
          continue;
        }
        if (error instanceof ControlPlaneError && error.code === 'not-found') {
          // No active call any more (it ended while we were away from it).
          this.#end(call, 'The call ended');
          this.emit('callEnded', { conversationId: call.conversationId });
          throw new JoinCancelledError('The call ended');
        }
        failures += 1;
        if (failures >= attempts || (error instanceof ControlPlaneError && error.code === 'forbidden')) {
          this.#end(call, 'Could not set up the call');
          throw error;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, REJOIN_BACKOFF_MS * 2 ** (failures - 1)));
      if (this.#call !== call) throw new JoinCancelledError('Left the call');
    }
  }

  async #setUpMedia(call: Call, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const ticket = await this.#nextTicket(call);
    signal.throwIfAborted();
    const session = await MediaSession.open({
      request: this.#request,
      leaveRoom: () => this.#socket.emit('leaveRoom'),
      conversationId: call.conversationId,
      ticket,
      createDevice: this.#createDevice,
      signal,
    });
    if (signal.aborted) {
      session.close();
      signal.throwIfAborted();
    }
    // From now on `newProducer` events are consumed as they come; getProducers
    // covers everything produced before, and claims skip what both announce.
    call.session = session;
    // Sending and receiving don't depend on each other: the others' media starts
    // without waiting for our produce round trips.
    await Promise.all([session.produce(call.tracks), this.#receiveExisting(session, signal)]);
    signal.throwIfAborted();
  }

  /** getProducers, then consumes everything the room already has. */
  async #receiveExisting(session: MediaSession, signal: AbortSignal): Promise<void> {
    const answer = GetProducersAckSchema.safeParse(await this.#request('getProducers'));
    if (!answer.success) throw new Error('Malformed getProducers answer from the server');
    signal.throwIfAborted();
    await Promise.all(
      answer.data.producers.map((producer) =>
        this.#receive(session, {
          producerId: producer.id,
          kind: producer.kind,
          socketId: producer.socketId,
          participantInfo: producer.participantInfo,
        }),
      ),
    );
  }

  /** The ticket for this set-up: the one given (once, when it can be renewed), else a fresh one. */
  async #nextTicket(call: Call): Promise<string | undefined> {
    if (!call.renewTicket) return call.ticket;
    const given = call.ticket;
    call.ticket = undefined;
    return given ?? (await call.renewTicket());
  }

  /** Consumes one remote producer; failures are reported, not thrown: the call goes on without it. */
  async #receive(session: MediaSession, producer: RemoteProducer): Promise<void> {
    if (producer.socketId === this.#socket.id) return;
    const entry = this.#remotes.claim(producer);
    if (!entry) return;
    try {
      const consumer = await session.consume(producer.producerId);
      if (session.closed || !this.#remotes.attach(entry, consumer)) {
        consumer.close();
        return;
      }
      const { socketId, participantInfo, kind, producerId } = producer;
      this.emit('trackAdded', { socketId, participantInfo, kind, producerId, track: consumer.track });
    } catch (error) {
      this.#remotes.release(entry);
      if (!session.closed) {
        const who = producer.participantInfo?.name ?? producer.socketId;
        this.#report(`Could not receive ${who}'s ${producer.kind}: ${messageOf(error)}`);
      }
    }
  }

  /** The server lost the call's media, or our connection was re-established: set it up again. */
  #interrupt(call: Call): void {
    this.#setState('rejoining');
    if (call.attempt) {
      // #connect is running: aborting makes it start over.
      call.attempt.abort(new JoinCancelledError('The call was interrupted'));
      return;
    }
    this.#dropMedia(call);
    this.#connect(call, REJOIN_ATTEMPTS).catch((error: unknown) => {
      if (!(error instanceof JoinCancelledError))
        this.#report(`Could not rejoin the call: ${messageOf(error)}`);
    });
  }

  #end(call: Call, reason: string): void {
    if (this.#call !== call) return;
    this.#call = undefined;
    call.attempt?.abort(new JoinCancelledError(reason));
    this.#dropMedia(call);
    this.#setState('idle');
  }

  /** Leaves the room and drops every remote track (announcing each participant as gone). */
  #dropMedia(call: Call): void {
    call.session?.close();
    call.session = undefined;
    for (const [socketId, participantInfo] of this.#remotes.dropAll()) {
      this.emit('participantLeft', { socketId, participantInfo });
    }
  }

  #setState(state: CallState): void {
    const previous = this.#state;
    if (state === previous) return;
    this.#state = state;
    this.emit('stateChange', { state, previous, conversationId: this.#call?.conversationId });
  }

  #report(message: string): void {
    this.emit('error', { message });
  }

  #listen(): void {
    this.#onServerEvent('group_call_incoming', GroupCallIncomingSchema, (incoming) =>
      this.emit('incomingCall', incoming),
    );
    this.#onServerEvent('group_call_ring_stopped', GroupCallRingStoppedSchema, (stopped) =>
      this.emit('ringStopped', stopped),
    );
    this.#onServerEvent('group_call_started', GroupCallStartedSchema, (started) =>
      this.emit('callStarted', started),
    );
    this.#onServerEvent('group_call_ended', GroupCallEndedSchema, (ended) => {
      const call = this.#call;
      if (call?.conversationId === ended.conversationId) {
        // Our own rejoin can empty the room for a moment: that is not the call's end.
        if (this.#state === 'rejoining') return;
        this.#end(call, 'The call ended');
      }
      this.emit('callEnded', ended);
    });
    this.#onServerEvent('group_call_error', GroupCallErrorSchema, (error) => this.emit('error', error));
    this.#onServerEvent('newProducer', NewProducerSchema, (announced) => {
      const session = this.#call?.session;
      if (!session || session.closed) return;
      void this.#receive(session, {
        producerId: announced.producerId,
        kind: announced.kind,
        socketId: announced.socketId,
        participantInfo: announced.participantInfo,
      });
    });
    this.#onServerEvent('participantLeft', ParticipantLeftSchema, ({ socketId }) => {
      if (!this.#call) return;
      this.emit('participantLeft', { socketId, participantInfo: this.#remotes.dropParticipant(socketId) });
    });
    this.#onServerEvent('consumerClosed', ConsumerClosedSchema, ({ producerId }) => {
      const entry = this.#remotes.dropTrack(producerId);
      if (entry) this.emit('trackRemoved', { socketId: entry.socketId, producerId, kind: entry.kind });
    });
    this.#onServerEvent('callInterrupted', CallInterruptedSchema, ({ conversationId }) => {
      if (this.#call?.conversationId === conversationId) this.#interrupt(this.#call);
    });
    // The server forgets a connection's user and room when it drops; Socket.IO
    // buffers these emits until the new connection is up.
    this.#socket.io.on('reconnect', () => {
      if (this.#userId !== undefined) this.#socket.emit('join', this.#userId);
      if (this.#call) this.#interrupt(this.#call);
    });
  }

  /** Listens to a server event, validating its payload; malformed payloads are reported and dropped. */
  #onServerEvent<E extends keyof ServerToClientEvents, T>(
    event: E,
    schema: z.ZodType<T>,
    handle: (payload: T) => void,
  ): void {
    // The typed `on` cannot take a generic event name; the schema types the payload instead.
    const socket = this.#socket as unknown as UntypedListeners;
    socket.on(event, (payload) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) handle(parsed.data);
      else this.#report(`Ignored a malformed ${event} event from the server`);
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

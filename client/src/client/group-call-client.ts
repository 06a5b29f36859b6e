import type { Device, types } from 'mediasoup-client';
import type { z } from 'zod';
import type { SfuEndpoint } from '../protocol/calls-api.ts';
import { GetProducersAckSchema } from '../protocol/client-events.ts';
import { ConsumerLayersChangedSchema, ProducerLayersWantedSchema } from '../protocol/layer-events.ts';
import type { CallType } from '../protocol/primitives.ts';
import {
  type CallInterrupted,
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
import {
  ActiveSpeakerSchema,
  AudioLevelsSchema,
  type MediaSource,
  ProducerStateChangedSchema,
} from '../protocol/track-events.ts';
import type { CallState, GroupCallClientEvents } from './client-events.ts';
import { ControlPlaneError, JoinCancelledError, messageOf } from './errors.ts';
import { LocalTracks } from './local-tracks.ts';
import { MediaSession } from './media-session.ts';
import { inboundRtpTotals, type RemoteTrackStats } from './receive-stats.ts';
import { RemoteParticipants, type RemoteProducer, type RemoteTrackEntry } from './remote-participants.ts';
import {
  type DeviceSource,
  devicesOfThisBrowser,
  FactoryDevices,
  ProbedOnceDevices,
} from './room-devices.ts';
import type { LocalLayerStats } from './send-stats.ts';
import { SignallingLine } from './signalling-line.ts';
import { spatialLayerForTileHeight } from './simulcast.ts';
import type { GroupCallSocket } from './socket-request.ts';
import { TypedEmitter } from './typed-emitter.ts';
import { untilAborted } from './until-aborted.ts';

/**
 * After a move, how long the membership on the old pod is kept at most: its
 * tracks play until each sender's track arrives from the new pod.
 */
const PREVIOUS_MEMBERSHIP_MS = 10_000;
/** After the server interrupts a call, set up its media this many times before giving up. */
const REJOIN_ATTEMPTS = 3;
/** Wait before the second rejoin attempt; doubles for each further one. */
const REJOIN_BACKOFF_MS = 500;

export interface GroupCallClientOptions {
  /** How long each acked request may take (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * Makes the mediasoup Device for each room membership, loaded the usual
   * way at each join. Default: mediasoup-client's handler for this browser,
   * whose native capabilities are asked for once per page, as soon as the
   * first client is created (see ProbedOnceDevices): create the client at
   * startup, not when the user presses join.
   */
  createDevice?: () => Device;
  /**
   * A mediasoup-client handler to use instead of the browser's (e.g. its
   * FakeHandler), asked for its native capabilities once, when the client is
   * created. Ignored when `createDevice` is given.
   */
  handlerFactory?: types.HandlerFactory;
  /**
   * Opens a signalling socket at another pod's endpoint, e.g.
   * `(endpoint) => openCallSocket(endpoint, { accessToken: () => getFreshToken() })`.
   * With it (and a `renewTicket` that answers the admission's `endpoint`,
   * such as `() => api.joinCall(id)`), a call whose pod shuts down or that
   * moved to another pod is followed there: the client connects to the pod
   * the control plane names, rejoins the same call, closes the socket it
   * left and emits `callMoved`. Without it, it rejoins on its one socket.
   */
  openSocket?: (endpoint: SfuEndpoint) => GroupCallSocket;
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
  renewTicket?: () => Promise<string | TicketWithIceServers>;
  /**
   * TURN/STUN servers for both transports: the admission answer's
   * `iceServers` (short-lived TURN credentials). A renewTicket that answers
   * with `{ticket, iceServers}` replaces them for the next set-up.
   */
  iceServers?: readonly RTCIceServer[];
  /**
   * The height, in device pixels, of the tiles the app first shows the
   * others' cameras in (a grid of thumbnails: 180). Each camera is then
   * received at the simulcast layer that fits (`spatialLayerForTileHeight`)
   * from its first frame, and its sender need not send more (dynacast);
   * `fitToTile` changes it per camera later. Default: full size.
   */
  cameraTileHeight?: number;
}

/** What renewTicket may answer: a control-plane admission (its ticket, TURN servers, and where the call lives). */
export interface TicketWithIceServers {
  ticket: string;
  iceServers?: readonly RTCIceServer[] | undefined;
  /** The pod hosting the call: followed after the call moved (see GroupCallClientOptions.openSocket). */
  endpoint?: SfuEndpoint | undefined;
}

/** Why the server says a call lives elsewhere now. */
type MoveReason = Exclude<CallInterrupted['reason'], 'media-worker-died'>;

/** Socket.IO's `on` without its per-event typing (see #onServerEvent). */
interface UntypedListeners {
  on(event: string, listener: (payload: unknown) => void): unknown;
}

/** The call we are in or joining, kept across rejoins. */
interface Call {
  readonly conversationId: string;
  /** What we send, by source (mic, camera, screen), and what is paused. */
  readonly local: LocalTracks;
  /** The ticket for the next set-up; with renewTicket, each ticket is used once. */
  ticket: string | undefined;
  readonly renewTicket: (() => Promise<string | TicketWithIceServers>) | undefined;
  /** TURN/STUN servers for the next set-up. */
  iceServers: readonly RTCIceServer[] | undefined;
  /** The media set-up under way; aborting it stops that attempt. */
  attempt: AbortController | undefined;
  session: MediaSession | undefined;
  /** The server said the call lives elsewhere now: the next set-up goes where the control plane says. */
  moving: MoveReason | undefined;
  /** The pod hosting the call, from the latest renewal. */
  endpoint: SfuEndpoint | undefined;
  /** The membership on the pod the call moved away from, while its media still plays. */
  previous: PreviousMembership | undefined;
  /** The tile height new cameras are received for (JoinCallOptions.cameraTileHeight). */
  readonly cameraTileHeight: number | undefined;
}

/** What is kept of a membership on the old pod after a move (see #retireReplaced). */
interface PreviousMembership {
  readonly session: MediaSession;
  /** Its remote tracks still shown: each goes once the same sender's track comes from the new pod. */
  readonly producerIds: Set<string>;
  readonly expiry: ReturnType<typeof setTimeout>;
}

/**
 * A browser client for group calls (Socket.IO signalling + mediasoup-client),
 * following the integration guide's flow:
 *
 *   new GroupCallClient(): the browser's media capabilities probed (once per page)
 *   join(userId) → [initiate()] → joinCall(): createRoom → send + recv transports (together,
 *   while the Device loads) → getProducers → consume each → resumeConsumer → produce local
 *   tracks; then every `newProducer` while in the call.
 *
 * The client removes tracks of participants who leave (`participantLeft`) or
 * stop producing (`consumerClosed`), ends the call when the server says it
 * ended, and rejoins on its own when the server interrupts the call's media
 * (`callInterrupted`). When the connection drops and comes back, it resumes
 * its membership (`resume`): its media goes on and the others see no
 * change; only when the server no longer holds it does it rejoin.
 * The app listens to typed events (see GroupCallClientEvents).
 */
export class GroupCallClient extends TypedEmitter<GroupCallClientEvents> {
  readonly #line: SignallingLine;
  readonly #devices: DeviceSource;
  readonly #mediaReady: Promise<void>;
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
    this.#line = new SignallingLine(socket, options);
    this.#devices = devicesFor(options);
    // What the browser can send and receive is asked now, off the join's path.
    this.#mediaReady = this.#devices.warmUp();
    this.#listen(socket);
    this.#watchNetwork();
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

  /** The signalling socket in use: the one given, or the one opened when the call moved (`callMoved`). */
  get socket(): GroupCallSocket {
    return this.#line.socket;
  }

  /** Acked requests on the current socket. */
  get #request() {
    return this.#line.request;
  }

  get #socket(): GroupCallSocket {
    return this.#line.socket;
  }

  /**
   * Settles once what this browser can send and receive is known: asked when
   * the client is created, so that a join does not wait for it. Apps need
   * not wait for this; a failure is left for joinCall to report.
   */
  mediaReady(): Promise<void> {
    return this.#mediaReady;
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
      local: new LocalTracks(options.tracks ?? []),
      ticket: options.ticket,
      renewTicket: options.renewTicket,
      iceServers: options.iceServers,
      attempt: undefined,
      session: undefined,
      moving: undefined,
      endpoint: undefined,
      previous: undefined,
      cameraTileHeight: options.cameraTileHeight,
    };
    this.#call = call;
    this.#setState('joining');
    await this.#connect(call, 1);
  }

  /** Leaves the call (`leaveRoom`) and closes all its media; local tracks keep running. */
  leave(): void {
    if (this.#call) this.#end(this.#call, 'Left the call');
  }

  /**
   * The device's network changed (another Wi-Fi, Wi-Fi to mobile data): the
   * call's media path is renegotiated (ICE restart) without leaving the
   * call. Browsers' network changes are noticed by themselves; apps that
   * learn of a change another way (a connectivity plugin) call this.
   */
  restartIce(): void {
    this.#call?.session?.restartIce();
  }

  /** Mutes or unmutes the microphone: it stops sending and the others get producerPaused/Resumed. */
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.#setSourceEnabled('mic', enabled);
  }

  /** Turns the camera off or on, the same way. */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#setSourceEnabled('camera', enabled);
  }

  /**
   * Shares the screen as its own tile (`source: 'screen'`): `track`, or one
   * picked by the user through getDisplayMedia. Ending the track (the
   * browser's "Stop sharing") stops the share.
   */
  async shareScreen(track?: MediaStreamTrack): Promise<MediaStreamTrack> {
    const call = this.#requireCall();
    const shared =
      track ?? (await navigator.mediaDevices.getDisplayMedia({ video: true })).getVideoTracks()[0];
    if (!shared) throw new Error('No screen track to share');
    shared.addEventListener('ended', () => {
      if (call.local.get('screen') === shared) void this.stopScreenShare();
    });
    await call.local.set('screen', shared, call.session);
    return shared;
  }

  /** Stops the screen share (closeProducer): its tile disappears for the others. */
  async stopScreenShare(): Promise<void> {
    const call = this.#requireCall();
    await call.local.remove('screen', call.session, this.#request);
  }

  /**
   * Switches the microphone or camera to another device's track without
   * renegotiating (replaceTrack); sends it if that source was not sent yet.
   */
  async switchTrack(source: 'mic' | 'camera', track: MediaStreamTrack): Promise<void> {
    const call = this.#requireCall();
    await call.local.set(source, track, call.session);
  }

  /**
   * The highest layers wanted for a remote video track (0 = lowest
   * resolution; without `temporalLayer`, all frame rates of it). The server
   * forwards at most these, fewer when our downlink is short; `layersChanged`
   * tells what it forwards.
   */
  async setPreferredLayers(
    producerId: string,
    layers: { spatialLayer: number; temporalLayer?: number | undefined },
  ): Promise<void> {
    const consumerId = this.#consumerOf(producerId).id;
    const { spatialLayer, temporalLayer } = layers;
    await this.#request('setConsumerPreferredLayers', {
      consumerId,
      spatialLayer,
      ...(temporalLayer === undefined ? {} : { temporalLayer }),
    });
  }

  /**
   * Asks for the layer that fits a tile `tileHeight` device pixels tall
   * (CSS height × devicePixelRatio); answers the spatial layer asked for.
   */
  async fitToTile(producerId: string, tileHeight: number): Promise<number> {
    const spatialLayer = spatialLayerForTileHeight(tileHeight);
    await this.setPreferredLayers(producerId, { spatialLayer });
    return spatialLayer;
  }

  /** Stops receiving a remote track for now (its tile is off screen), or starts again. */
  async setTrackReceiving(producerId: string, receiving: boolean): Promise<void> {
    const consumer = this.#consumerOf(producerId);
    if (receiving) {
      await this.#request('resumeConsumer', { consumerId: consumer.id });
      consumer.resume();
    } else {
      consumer.pause();
      await this.#request('pauseConsumer', { consumerId: consumer.id });
    }
  }

  /** Priority 1–255 of a remote track: on a short downlink, higher ones keep their bitrate first. */
  async setTrackPriority(producerId: string, priority: number): Promise<void> {
    await this.#request('setConsumerPriority', { consumerId: this.#consumerOf(producerId).id, priority });
  }

  #consumerOf(producerId: string) {
    const consumer = this.#remotes.consumerOf(producerId);
    if (!consumer) throw new Error(`Not receiving producer ${producerId}`);
    return consumer;
  }

  async #setSourceEnabled(source: MediaSource, enabled: boolean): Promise<void> {
    const call = this.#requireCall();
    await call.local.setEnabled(source, enabled, call.session, this.#request);
  }

  #requireCall(): Call {
    if (!this.#call) throw new Error('Not in a call: joinCall() first');
    return this.#call;
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
   * Outbound RTP counters of every local track being sent, one entry per
   * encoding: a camera's simulcast layers each, with `active` false for the
   * layers paused because nobody watches them.
   */
  async getSendStats(): Promise<LocalLayerStats[]> {
    const session = this.#call?.session;
    return session && !session.closed ? session.sendStats() : [];
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
    this.#follow(call);
    // This membership's leaveRoom goes to its own socket, also once the client moved on.
    const socket = this.#socket;
    const session = await MediaSession.open({
      request: this.#request,
      leaveRoom: () => socket.emit('leaveRoom'),
      conversationId: call.conversationId,
      ticket,
      devices: this.#devices,
      signal,
      iceServers: call.iceServers,
      onError: (message) => this.#report(message),
    });
    if (signal.aborted) {
      session.close();
      signal.throwIfAborted();
    }
    // From now on `newProducer` events are consumed as they come; getProducers
    // covers everything produced before, and claims skip what both announce.
    call.session = session;
    // The others' media first, then ours. Done together, our produce's SDP
    // negotiations and starting encoders hold up the receive path in the
    // browser (the join-latency benchmark measured the first remote frame
    // ~300 ms later, on a loaded machine), while sending after the consumers
    // are set up publishes about as soon: the two compete for the same CPU.
    await this.#receiveAll(session, signal);
    signal.throwIfAborted();
    await call.local.produceAll(session, this.#request);
    signal.throwIfAborted();
    call.moving = undefined;
    this.#retireReplaced(call);
  }

  /**
   * A move keeps the old membership (its media still flows while the old pod
   * forwards it) instead of dropping it: the new one is set up beside it.
   */
  #keepPrevious(call: Call): void {
    const session = call.session;
    call.session = undefined;
    if (!session || call.previous) {
      session?.close();
      return;
    }
    const producerIds = new Set(this.#remotes.received().map((entry) => entry.producerId));
    const expiry = setTimeout(() => this.#closePrevious(call), PREVIOUS_MEMBERSHIP_MS);
    call.previous = { session, producerIds, expiry };
  }

  /**
   * Once set up on the new pod: every old track whose sender (same user,
   * kind and source) is received from the new pod goes; when none is left,
   * the old membership closes (our own old tracks stop with it).
   */
  #retireReplaced(call: Call): void {
    const previous = call.previous;
    if (!previous || call.moving) return;
    const fresh = this.#remotes.received().filter((entry) => !previous.producerIds.has(entry.producerId));
    const gone: RemoteTrackEntry[] = [];
    for (const producerId of previous.producerIds) {
      const old = this.#remotes.entry(producerId);
      const sender = old?.participantInfo?.userId;
      const replaced = fresh.some(
        (entry) =>
          entry.participantInfo?.userId === sender &&
          entry.kind === old?.kind &&
          entry.source === old?.source,
      );
      if (old && sender !== undefined && !replaced) continue;
      previous.producerIds.delete(producerId);
      if (old) gone.push(old);
    }
    this.#dropOld(gone);
    if (previous.producerIds.size === 0) this.#closePrevious(call);
  }

  /** Closes the old membership; its tracks still shown go (their senders did not follow in time). */
  #closePrevious(call: Call): void {
    const previous = call.previous;
    if (!previous) return;
    call.previous = undefined;
    clearTimeout(previous.expiry);
    previous.session.close();
    const left = [...previous.producerIds].flatMap((producerId) => this.#remotes.entry(producerId) ?? []);
    this.#dropOld(left);
  }

  /** Drops old tracks, telling the app (trackRemoved, then participantLeft for senders with none left). */
  #dropOld(entries: RemoteTrackEntry[]): void {
    for (const entry of entries) {
      this.#remotes.dropTrack(entry.producerId);
      this.emit('trackRemoved', { socketId: entry.socketId, producerId: entry.producerId, kind: entry.kind });
    }
    const left = new Map(entries.map((entry) => [entry.socketId, entry.participantInfo]));
    for (const [socketId, participantInfo] of left)
      if (!this.#remotes.hasParticipant(socketId))
        this.emit('participantLeft', { socketId, participantInfo });
  }

  /**
   * After the server said the call lives elsewhere: connects to the pod the
   * control plane named (when the app gave openSocket), registers as the
   * user there, and tells the app. The socket left behind is closed.
   */
  #follow(call: Call): void {
    const { moving, endpoint } = call;
    if (!moving || !endpoint) return;
    const socket = this.#line.moveTo(endpoint);
    if (!socket) return;
    this.#listen(socket);
    if (this.#userId !== undefined) socket.emit('join', this.#userId);
    this.emit('callMoved', { conversationId: call.conversationId, reason: moving, endpoint });
  }

  /** getProducers, and consumes each one not received yet; answers the producer ids listed. */
  async #receiveAll(session: MediaSession, signal?: AbortSignal): Promise<Set<string>> {
    const answer = GetProducersAckSchema.safeParse(await this.#request('getProducers'));
    if (!answer.success) throw new Error('Malformed getProducers answer from the server');
    signal?.throwIfAborted();
    await Promise.all(
      answer.data.producers.map((producer) =>
        this.#receive(session, {
          producerId: producer.id,
          kind: producer.kind,
          socketId: producer.socketId,
          participantInfo: producer.participantInfo,
          source: producer.source,
          paused: producer.paused,
        }),
      ),
    );
    return new Set(answer.data.producers.map((producer) => producer.id));
  }

  /**
   * Our connection came back on a new socket: the call's membership is taken
   * back (`resume`) with its media as it was, and what happened meanwhile is
   * caught up (new producers consumed, closed ones dropped). When the server
   * no longer holds it, the call is set up anew.
   */
  #resumeOrRejoin(call: Call): void {
    const session = call.session;
    // A set-up under way (or none yet) simply starts over.
    if (call.attempt || !session || session.closed) {
      this.#interrupt(call);
      return;
    }
    this.#setState('rejoining');
    const current = () => this.#call === call && call.session === session && !session.closed;
    session
      .resume()
      .then(async (resumed) => {
        if (!current()) return;
        if (!resumed) {
          this.#interrupt(call);
          return;
        }
        await this.#catchUp(session);
        if (current()) this.#setState('in-call');
      })
      .catch((error: unknown) => {
        if (!current()) return;
        this.#report(`Could not resume the call: ${messageOf(error)}`);
        this.#interrupt(call);
      });
  }

  /** After a resume: events missed while disconnected are made up for from getProducers. */
  async #catchUp(session: MediaSession): Promise<void> {
    const listed = await this.#receiveAll(session);
    const gone = this.#remotes.dropAllExcept(listed);
    const left = new Map<string, RemoteTrackEntry>();
    for (const entry of gone) {
      this.emit('trackRemoved', { socketId: entry.socketId, producerId: entry.producerId, kind: entry.kind });
      if (!this.#remotes.hasParticipant(entry.socketId)) left.set(entry.socketId, entry);
    }
    for (const [socketId, entry] of left)
      this.emit('participantLeft', { socketId, participantInfo: entry.participantInfo });
  }

  /** The ticket for this set-up: the one given (once, when it can be renewed), else a fresh one. */
  async #nextTicket(call: Call): Promise<string | undefined> {
    if (!call.renewTicket) return call.ticket;
    const given = call.ticket;
    call.ticket = undefined;
    if (given !== undefined) return given;
    const renewed = await call.renewTicket();
    if (typeof renewed === 'string') return renewed;
    if (renewed.iceServers) call.iceServers = renewed.iceServers;
    if (renewed.endpoint) call.endpoint = renewed.endpoint;
    return renewed.ticket;
  }

  /** The layers to receive a new remote video at: its tile's, for a camera when the app gave one. */
  #initialLayers(producer: RemoteProducer): { spatialLayer: number } | undefined {
    const tileHeight = this.#call?.cameraTileHeight;
    // A screen is shown large and sharp; a source not named is taken for a camera.
    if (tileHeight === undefined || producer.kind !== 'video' || producer.source === 'screen')
      return undefined;
    return { spatialLayer: spatialLayerForTileHeight(tileHeight) };
  }

  /** Consumes one remote producer; failures are reported, not thrown: the call goes on without it. */
  async #receive(session: MediaSession, producer: RemoteProducer): Promise<void> {
    if (producer.socketId === this.#socket.id) return;
    const entry = this.#remotes.claim(producer);
    if (!entry) return;
    try {
      const consumer = await session.consume(producer.producerId, this.#initialLayers(producer));
      if (session.closed || !this.#remotes.attach(entry, consumer)) {
        consumer.close();
        return;
      }
      const { socketId, participantInfo, kind, producerId, source } = producer;
      const paused = producer.paused ?? false;
      this.emit('trackAdded', {
        socketId,
        participantInfo,
        kind,
        producerId,
        track: consumer.track,
        source,
        paused,
      });
      if (this.#call) this.#retireReplaced(this.#call);
    } catch (error) {
      this.#remotes.release(entry);
      if (!session.closed) {
        const who = producer.participantInfo?.name ?? producer.socketId;
        this.#report(`Could not receive ${who}'s ${producer.kind}: ${messageOf(error)}`);
      }
    }
  }

  /**
   * The server lost the call's media, or our connection was re-established:
   * set it up again — where the control plane says when the call moved.
   */
  #interrupt(call: Call, moving?: MoveReason): void {
    if (moving && this.#line.canMove && call.renewTicket) call.moving = moving;
    this.#setState('rejoining');
    if (call.attempt) {
      // #connect is running: aborting makes it start over.
      call.attempt.abort(new JoinCancelledError('The call was interrupted'));
      return;
    }
    if (call.moving) this.#keepPrevious(call);
    else this.#dropMedia(call);
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
    this.#closePrevious(call);
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

  /** Listens to `socket`'s server events; once the client moved to another socket, that one's only. */
  #listen(socket: GroupCallSocket): void {
    this.#onServerEvent(socket, 'group_call_incoming', GroupCallIncomingSchema, (incoming) =>
      this.emit('incomingCall', incoming),
    );
    this.#onServerEvent(socket, 'group_call_ring_stopped', GroupCallRingStoppedSchema, (stopped) =>
      this.emit('ringStopped', stopped),
    );
    this.#onServerEvent(socket, 'group_call_started', GroupCallStartedSchema, (started) =>
      this.emit('callStarted', started),
    );
    this.#onServerEvent(socket, 'group_call_ended', GroupCallEndedSchema, (ended) => {
      const call = this.#call;
      if (call?.conversationId === ended.conversationId) {
        // Our own rejoin can empty the room for a moment: that is not the call's end.
        if (this.#state === 'rejoining') return;
        this.#end(call, 'The call ended');
      }
      this.emit('callEnded', ended);
    });
    this.#onServerEvent(socket, 'group_call_error', GroupCallErrorSchema, (error) =>
      this.emit('error', error),
    );
    this.#onServerEvent(socket, 'newProducer', NewProducerSchema, (announced) => {
      const session = this.#call?.session;
      if (!session || session.closed) return;
      void this.#receive(session, {
        producerId: announced.producerId,
        kind: announced.kind,
        socketId: announced.socketId,
        participantInfo: announced.participantInfo,
        source: announced.source,
        paused: announced.paused,
      });
    });
    this.#onServerEvent(socket, 'producerPaused', ProducerStateChangedSchema, (paused) =>
      this.emit('trackPaused', paused),
    );
    this.#onServerEvent(socket, 'producerResumed', ProducerStateChangedSchema, (resumed) =>
      this.emit('trackResumed', resumed),
    );
    this.#onServerEvent(socket, 'activeSpeaker', ActiveSpeakerSchema, (speaker) =>
      this.emit('activeSpeaker', speaker),
    );
    this.#onServerEvent(socket, 'audioLevels', AudioLevelsSchema, (levels) =>
      this.emit('audioLevels', levels),
    );
    this.#onServerEvent(socket, 'consumerLayersChanged', ConsumerLayersChangedSchema, (changed) => {
      const entry = this.#remotes.byConsumerId(changed.consumerId);
      if (!entry) return;
      const { spatialLayer, temporalLayer } = changed;
      this.emit('layersChanged', {
        socketId: entry.socketId,
        producerId: entry.producerId,
        spatialLayer,
        temporalLayer,
      });
    });
    this.#onServerEvent(socket, 'producerLayersWanted', ProducerLayersWantedSchema, (wanted) => {
      const session = this.#call?.session;
      if (session && !session.closed) session.sendLayersUpTo(wanted.producerId, wanted.spatialLayer);
    });
    this.#onServerEvent(socket, 'participantLeft', ParticipantLeftSchema, ({ socketId }) => {
      if (!this.#call) return;
      this.emit('participantLeft', { socketId, participantInfo: this.#remotes.dropParticipant(socketId) });
    });
    this.#onServerEvent(socket, 'consumerClosed', ConsumerClosedSchema, ({ producerId }) => {
      const entry = this.#remotes.dropTrack(producerId);
      if (entry) this.emit('trackRemoved', { socketId: entry.socketId, producerId, kind: entry.kind });
    });
    this.#onServerEvent(socket, 'callInterrupted', CallInterruptedSchema, ({ conversationId, reason }) => {
      if (this.#call?.conversationId !== conversationId) return;
      this.#interrupt(this.#call, reason === 'media-worker-died' ? undefined : reason);
    });
    // A new connection is a new socket: it joins as the user again, then takes
    // the call back (resume). Socket.IO buffers these emits until it is up.
    socket.io.on('reconnect', () => {
      if (socket !== this.#socket) return;
      if (this.#userId !== undefined) socket.emit('join', this.#userId);
      if (this.#call) this.#resumeOrRejoin(this.#call);
    });
  }

  /**
   * Where the runtime reports network changes (browsers: the Network
   * Information API's `change`, and `online` after an outage), the media
   * path is renegotiated at once instead of waiting for ICE to time out.
   */
  #watchNetwork(): void {
    const runtime = globalThis as {
      navigator?: { connection?: EventTarget };
      addEventListener?: EventTarget['addEventListener'];
    };
    const restart = () => this.restartIce();
    runtime.navigator?.connection?.addEventListener?.('change', restart);
    runtime.addEventListener?.('online', restart);
  }

  /** Listens to a server event, validating its payload; malformed payloads are reported and dropped. */
  #onServerEvent<E extends keyof ServerToClientEvents, T>(
    socket: GroupCallSocket,
    event: E,
    schema: z.ZodType<T>,
    handle: (payload: T) => void,
  ): void {
    // The typed `on` cannot take a generic event name; the schema types the payload instead.
    (socket as unknown as UntypedListeners).on(event, (payload) => {
      // A socket the client left (its call moved) is closed; anything it still delivers is stale.
      if (socket !== this.#socket) return;
      const parsed = schema.safeParse(payload);
      if (parsed.success) handle(parsed.data);
      else this.#report(`Ignored a malformed ${event} event from the server`);
    });
  }
}

function devicesFor(options: GroupCallClientOptions): DeviceSource {
  if (options.createDevice) return new FactoryDevices(options.createDevice);
  if (options.handlerFactory) return new ProbedOnceDevices(options.handlerFactory);
  return devicesOfThisBrowser();
}

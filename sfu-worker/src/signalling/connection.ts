import { CallError, callRoom, type UserNotifier, userRoom } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import {
  type CallInterrupted,
  ConnectTransportPayloadSchema,
  ConsumePayloadSchema,
  ConsumerControlPayloadSchema,
  CreateRoomPayloadSchema,
  CreateTransportPayloadSchema,
  ErrorMessage,
  GroupCallInitiatePayloadSchema,
  JoinPayloadSchema,
  type PreferredLayersSchema,
  ProducePayloadSchema,
  ProducerControlPayloadSchema,
  RestartIcePayloadSchema,
  ResumeConsumerPayloadSchema,
  ResumePayloadSchema,
  type ServerToClientEvents,
  SetConsumerPreferredLayersPayloadSchema,
  SetConsumerPriorityPayloadSchema,
} from '@groupcall/shared/protocol';
import type { types } from 'mediasoup';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import type { CallAccess, CallGrant } from '../access/call-access.ts';
import type { SfuConfig } from '../config.ts';
import type { CallLifecycle } from '../lifecycle/call-lifecycle.ts';
import type { CallObserver } from '../metrics/call-metrics.ts';
import type { RequestObserver } from '../metrics/sfu-metrics.ts';
import type { CallHosting } from '../registry/call-hosting.ts';
import type { EmptyRoomGrace } from '../rooms/empty-room-grace.ts';
import { Participant, type ParticipantHooks } from '../rooms/participant.ts';
import type { ResumableParticipants } from '../rooms/resumable-participants.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import { controlOwnProducer, producerActionEvent, producerState } from '../rooms/track-control.ts';
import type { CallInitiator } from './call-initiator.ts';
import type { ConnectionAdmission } from './connection-admission.ts';
import type { IdentityPolicy } from './identity.ts';
import { onRequest, type RequestScope } from './request.ts';

export interface ConnectionDeps {
  registry: RoomRegistry;
  access: CallAccess;
  identity: IdentityPolicy;
  initiator: CallInitiator;
  notifier: UserNotifier;
  hosting: CallHosting;
  lifecycle: CallLifecycle;
  /** Where a room goes when its last device leaves: closed (and its call ended) after a grace period. */
  emptyRooms: EmptyRoomGrace;
  /** Devices whose connection dropped, held for a new socket to resume them. */
  resumables: ResumableParticipants;
  requests: RequestObserver;
  /** Join latencies (createRoom to first consumer resumed), for /metrics. */
  calls: CallObserver;
  admission: ConnectionAdmission;
  /** True while the pod drains: calls already here go on, no new call starts here. */
  draining: () => boolean;
  limits: SfuConfig['limits'];
  /** How long a simulcast layer nobody watches is still asked of its sender (dynacast). */
  unusedLayerGraceMs: number;
  log: Logger;
}

/**
 * Why a socket closes when the network took it (not the client's own
 * disconnect, nor the server's): its participant is held for a resume.
 */
const DROPPED_CONNECTION = new Set(['transport close', 'transport error', 'ping timeout']);

/** This connection's place in a call: the participant (its socketId is how the others know it). */
interface Membership {
  room: Room;
  participant: Participant;
  resumeToken: string;
}

const isMissing = (payload: unknown, field: string) =>
  typeof payload !== 'object' || payload === null || !(payload as Record<string, unknown>)[field];

/**
 * One Socket.IO connection (one device) speaking the seed protocol: who it
 * is after `join`, and the call it is in after `createRoom`. Requests that
 * change the call it is in run one at a time, so a device can never be in
 * two calls or leave a forgotten participant behind.
 *
 * A connection that drops (not a leave) keeps its participant in the call
 * for a grace period; another socket of the device can resume it. A resumed
 * participant keeps the socketId it entered with: that is its identity for
 * the others (newProducer, participantLeft, getProducers), so they see
 * nothing change.
 */
export class Connection {
  readonly #socket: Socket;
  readonly #deps: ConnectionDeps;
  /** Bound with the socket, then the user once joined: what this device logs outside a call. */
  #deviceLog: Logger;
  /** The device log, bound with the conversation and callId while in a call: grep one call by its id. */
  #log: Logger;
  #userId: string | undefined;
  #membership: Membership | undefined;
  #membershipQueue: Promise<unknown> = Promise.resolve();
  /** When the createRoom that entered the current call arrived, until its first consumer is resumed. */
  #joinStartedAt: number | undefined;

  constructor(socket: Socket, deps: ConnectionDeps) {
    this.#socket = socket;
    this.#deps = deps;
    this.#deviceLog = deps.log.child({ socketId: socket.id });
    this.#log = this.#deviceLog;
    this.#registerRequests();
    socket.on('disconnect', (reason) => {
      this.#log.info({ reason }, 'socket disconnected');
      this.#serially(() => this.#dropped(reason)).catch((error: unknown) =>
        this.#log.error({ err: error }, 'leaving on disconnect failed'),
      );
    });
  }

  get socketId(): string {
    return this.#socket.id;
  }

  /** The call's media is gone (its Worker died, or the pod shuts down): forget it and tell the device. */
  interrupt(room: Room, reason: CallInterrupted['reason']): void {
    if (this.#membership?.room !== room) return;
    this.#log.info({ reason }, 'call interrupted');
    this.#deps.resumables.forget(this.#membership.resumeToken);
    this.#detach();
    void this.#socket.leave(callRoom(room.id));
    this.#socket.emit('callInterrupted', { conversationId: room.id, reason });
  }

  #registerRequests(): void {
    const context = { log: () => this.#log, observer: this.#deps.requests };
    const on = <S extends z.ZodType>(event: string, options: Parameters<typeof onRequest<S>>[3]) =>
      onRequest(this.#socket, context, event, options);

    // Serialized with createRoom: a client that sends join and createRoom back to
    // back (without waiting for join's ack) is still known by the time it enters.
    on('join', { schema: JoinPayloadSchema, handle: (userId) => this.#serially(() => this.#join(userId)) });
    on('group_call_initiate', {
      schema: GroupCallInitiatePayloadSchema,
      invalidMessage: (error) =>
        error.issues.some((i) => i.path[0] === 'callerId') ? ErrorMessage.invalidCallerId : undefined,
      handle: async (request) => this.#initiate(request),
    });
    on('createRoom', {
      schema: CreateRoomPayloadSchema,
      invalidMessage: (_error, payload) =>
        isMissing(payload, 'roomId') ? ErrorMessage.roomIdRequired : undefined,
      // Its lines name the call asked for, also when refused before the device is in it.
      log: ({ roomId }) => this.#deviceLog.child({ conversationId: roomId }),
      handle: ({ roomId, ticket }, request) =>
        this.#serially(() => this.#createRoom(roomId, ticket, request)),
    });
    on('leaveRoom', { schema: z.unknown(), handle: () => this.#serially(() => this.#leave()) });
    on('resume', {
      schema: ResumePayloadSchema,
      handle: ({ resumeToken }) => this.#serially(() => this.#resume(resumeToken)),
    });
    on('createTransport', {
      schema: CreateTransportPayloadSchema,
      handle: async ({ type }) => {
        const transport = await this.#inCall().participant.createTransport(type);
        const { id, iceParameters, iceCandidates, dtlsParameters } = transport;
        this.#log.debug({ transportId: id, direction: type }, 'transport created');
        return { id, iceParameters, iceCandidates, dtlsParameters };
      },
    });
    on('connectTransport', {
      schema: ConnectTransportPayloadSchema,
      handle: async ({ transportId, dtlsParameters }) => {
        await this.#inCall().participant.connectTransport(transportId, dtlsParameters);
        return { success: true };
      },
    });
    on('restartIce', {
      schema: RestartIcePayloadSchema,
      handle: async ({ transportId }) => ({
        iceParameters: await this.#inCall().participant.restartIce(transportId),
      }),
    });
    on('produce', { schema: ProducePayloadSchema, handle: async (request) => this.#produce(request) });
    on('getProducers', {
      schema: z.unknown(),
      handle: async () => {
        const { room, participant } = this.#inCall();
        return { producers: room.producersExcept(participant.socketId) };
      },
    });
    on('consume', { schema: ConsumePayloadSchema, handle: async (request) => this.#consume(request) });
    on('resumeConsumer', {
      schema: ResumeConsumerPayloadSchema,
      handle: async ({ consumerId }) => {
        await this.#inCall().participant.resumeConsumer(consumerId);
        this.#firstMediaReached();
        return { success: true };
      },
    });
    on('pauseConsumer', {
      schema: ConsumerControlPayloadSchema,
      handle: async ({ consumerId }) => {
        await this.#inCall().participant.withOwnConsumer(consumerId, (consumer) => consumer.pause());
        return { success: true };
      },
    });
    on('setConsumerPreferredLayers', {
      schema: SetConsumerPreferredLayersPayloadSchema,
      handle: async ({ consumerId, spatialLayer, temporalLayer }) => {
        // mediasoup clamps to the layers the stream has; a single-layer stream ignores it.
        const { room, participant } = this.#inCall();
        await participant.withOwnConsumer(consumerId, async (consumer) => {
          await consumer.setPreferredLayers(consumerLayers({ spatialLayer, temporalLayer }));
          room.layerDemandOf(consumer.producerId)?.refresh();
        });
        return { success: true };
      },
    });
    on('setConsumerPriority', {
      schema: SetConsumerPriorityPayloadSchema,
      handle: async ({ consumerId, priority }) => {
        await this.#inCall().participant.withOwnConsumer(consumerId, (consumer) =>
          consumer.setPriority(priority),
        );
        return { success: true };
      },
    });
    for (const action of ['pause', 'resume', 'close'] as const) {
      on(`${action}Producer`, {
        schema: ProducerControlPayloadSchema,
        handle: async ({ producerId }) => {
          const { room, participant } = this.#inCall();
          if (await controlOwnProducer(room, participant, producerId, action)) {
            const event = producerActionEvent[action];
            this.#socket.to(callRoom(room.id)).emit(event, { producerId, socketId: participant.socketId });
          }
          return { success: true };
        },
      });
    }
  }

  async #join(claimedUserId: string): Promise<{ success: true }> {
    const authenticated = this.#socket.data.userId as string | undefined;
    const userId = this.#deps.identity.admitJoin(authenticated, claimedUserId);
    if (this.#userId && this.#userId !== userId) {
      throw new CallError('conflict', ErrorMessage.alreadyJoinedAsOtherUser);
    }
    this.#deps.admission.authenticated(this.#socket.id, userId);
    if (!this.#userId) {
      // Joined once per connection (a second join names the same user): bound once.
      this.#deviceLog = this.#deviceLog.child({ userId });
      this.#log = this.#deviceLog;
    }
    this.#userId = userId;
    if (!this.#socket.data.accessToken && this.#deps.identity.devAccessToken) {
      this.#socket.data.accessToken = await this.#deps.identity.devAccessToken(userId);
    }
    await this.#socket.join(userRoom(userId));
    this.#log.info('user joined');
    return { success: true };
  }

  async #initiate(request: z.output<typeof GroupCallInitiatePayloadSchema>): Promise<{ success: true }> {
    const userId = this.#requireUser();
    if (request.callerId !== userId) throw new CallError('forbidden', ErrorMessage.identityMismatch);
    const accessToken = this.#socket.data.accessToken as string | undefined;
    const { callId } = await this.#deps.initiator.initiate({ ...request, callerId: userId, accessToken });
    // The device log: the call it starts may not be the one it is in.
    this.#deviceLog.info({ conversationId: request.conversationId, callId }, 'group call initiated');
    return { success: true };
  }

  async #createRoom(roomId: string, ticket: string | undefined, request: RequestScope) {
    const startedAt = performance.now();
    const userId = this.#requireUser();
    const accessToken = this.#socket.data.accessToken as string | undefined;
    const grant = await this.#deps.access.admit(userId, roomId, ticket, accessToken);
    request.bind({ callId: grant.callId });
    // The same device asking again (a retry, or another call) leaves its current call first.
    await this.#leave();
    if (!this.#socket.connected) throw new CallError('conflict', ErrorMessage.participantNotFound);
    const { room, resumeToken } = await this.#enter(roomId, grant);
    this.#joinStartedAt = startedAt;
    return { rtpCapabilities: room.rtpCapabilities, resumeToken };
  }

  /**
   * Takes over the participant of a dropped (or stale) connection of the same
   * user: it goes on in its call from this socket, under its old socketId.
   */
  async #resume(token: string): Promise<{ conversationId: string; resumeToken: string }> {
    const userId = this.#requireUser();
    const { room, participant } = this.#deps.resumables.claim(token, userId);
    await this.#leave();
    participant.attach(this.#participantHooks());
    const membership = this.#attach(room, participant);
    await this.#socket.join(callRoom(room.id));
    this.#log.info({ participant: participant.socketId }, 'resumed call');
    // What the receivers want may have changed while the old connection was gone.
    for (const producer of participant.producers) {
      const demand = participant.layerDemandOf(producer.id);
      if (demand) this.#tellLayersWanted(producer.id, demand.announced);
    }
    return { conversationId: room.id, resumeToken: membership.resumeToken };
  }

  async #enter(roomId: string, grant: CallGrant): Promise<Membership> {
    const { registry, limits } = this.#deps;
    if (!registry.get(roomId) && this.#deps.draining())
      throw new CallError('unavailable', ErrorMessage.draining);
    await this.#deps.hosting.claim(roomId, grant.callId);
    // A room that closes while we wait for it (last leave, dead worker) is recreated.
    for (let attempt = 0; attempt < 3; attempt++) {
      const room = await registry.getOrCreate(roomId, grant.callId);
      if (room.closed) continue;
      // Placing may open a Router on another Worker (a large call): the checks below come after
      // that await, so concurrent entries are counted against the limits one at a time.
      const media = await room.place();
      if (room.closed) continue;
      const userId = grant.participantInfo.userId;
      const devicesIn = () => room.participants.filter((p) => p.userId === userId).length;
      // A device that dropped and enters anew (the seed way, no resume) replaces its held self.
      if (devicesIn() >= limits.maxDevicesPerUserInCall) this.#deps.resumables.expireHeld(room, userId);
      const refusal =
        devicesIn() >= limits.maxDevicesPerUserInCall
          ? ErrorMessage.tooManyDevicesInCall
          : room.size >= limits.maxParticipantsPerCall
            ? ErrorMessage.roomFull
            : undefined;
      if (refusal) {
        room.release(media);
        throw new CallError('conflict', refusal);
      }
      const first = !room.announced;
      room.announced = true;
      const participant = new Participant({
        socketId: this.#socket.id,
        info: grant.participantInfo,
        media,
        limits,
        hooks: this.#participantHooks(),
        unusedLayerGraceMs: this.#deps.unusedLayerGraceMs,
      });
      room.add(participant);
      const membership = this.#attach(room, participant);
      await this.#socket.join(callRoom(roomId));
      this.#log.info({ size: room.size }, 'entered call');
      this.#deps.lifecycle.answered(roomId, room.callId, participant.userId);
      this.#deps.lifecycle.participant(roomId, room.callId, 'joined', {
        userId: participant.userId,
        socketId: participant.socketId,
      });
      if (first) {
        await this.#notifyMembers(roomId, 'group_call_started', {
          conversationId: roomId,
          conversationInfo: grant.conversationInfo,
          callId: room.callId,
        });
      }
      return membership;
    }
    throw new CallError('unavailable', ErrorMessage.serverBusy);
  }

  #participantHooks(): ParticipantHooks {
    return {
      consumerClosed: (consumer) =>
        this.#socket.emit('consumerClosed', { consumerId: consumer.id, producerId: consumer.producerId }),
      consumerLayersChanged: (consumer, layers) =>
        this.#socket.emit('consumerLayersChanged', {
          consumerId: consumer.id,
          spatialLayer: layers?.spatialLayer ?? null,
          temporalLayer: layers?.temporalLayer ?? null,
        }),
      producerLayersWanted: (producer, spatialLayer) => this.#tellLayersWanted(producer.id, spatialLayer),
    };
  }

  #tellLayersWanted(producerId: string, spatialLayer: number): void {
    this.#socket.emit('producerLayersWanted', { producerId, spatialLayer });
    this.#log.debug({ producerId, spatialLayer }, 'simulcast layers wanted of the sender changed');
  }

  /** This connection now speaks for `participant`, with a fresh resume credential; its log names the call. */
  #attach(room: Room, participant: Participant): Membership {
    const resumeToken = this.#deps.resumables.register(room, participant, () => this.#handOver());
    this.#membership = { room, participant, resumeToken };
    this.#log = this.#deviceLog.child({ conversationId: room.id, callId: room.callId });
    return this.#membership;
  }

  /** Forgets the call here, without leaving it: the participant goes on elsewhere (or is held). */
  #detach(): Membership | undefined {
    const membership = this.#membership;
    this.#membership = undefined;
    this.#joinStartedAt = undefined;
    this.#log = this.#deviceLog;
    return membership;
  }

  /** Another socket of the device resumed our participant: this stale one lets go and closes. */
  #handOver(): void {
    const membership = this.#detach();
    if (membership) void this.#socket.leave(callRoom(membership.room.id));
    this.#log.info('participant taken over by a resumed connection');
    this.#socket.disconnect(true);
  }

  async #produce(request: z.output<typeof ProducePayloadSchema>): Promise<{ id: string }> {
    const { room, participant } = this.#inCall();
    const { transportId, kind, rtpParameters, appData } = request;
    const producer = await participant.produce(
      transportId,
      kind,
      rtpParameters,
      appData?.source ?? undefined,
    );
    this.#socket.to(callRoom(room.id)).emit('newProducer', {
      producerId: producer.id,
      kind: producer.kind,
      socketId: participant.socketId,
      participantInfo: participant.info,
      ...producerState(producer),
    });
    this.#log.debug({ producerId: producer.id, kind: producer.kind }, 'producer created');
    room.watchSpeech(producer, participant).catch((error: unknown) => {
      this.#log.warn({ err: error, producerId: producer.id }, 'could not watch an audio producer for speech');
    });
    return { id: producer.id };
  }

  async #consume(request: z.output<typeof ConsumePayloadSchema>) {
    const { room, participant } = this.#inCall();
    const found = room.findProducer(request.producerId);
    if (!found) throw new CallError('not-found', ErrorMessage.producerNotFound);
    if (found.owner === participant)
      throw new CallError('invalid-request', ErrorMessage.cannotConsumeOwnProducer);
    await room.reach(found.producer, found.owner, participant);
    const consumer = await participant.consume(
      request.transportId,
      found.producer,
      request.rtpCapabilities,
      request.preferredLayers ? consumerLayers(request.preferredLayers) : undefined,
    );
    found.owner.layerDemandOf(found.producer.id)?.track(consumer);
    this.#log.debug(
      { consumerId: consumer.id, producerId: consumer.producerId, kind: consumer.kind },
      'consumer created',
    );
    return {
      id: consumer.id,
      producerId: consumer.producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
    };
  }

  /**
   * Leaves the current call: others hear participantLeft once; when the last
   * one is out, the call ends once its grace period passes with nobody back.
   */
  async #leave(): Promise<void> {
    const log = this.#log;
    const membership = this.#detach();
    if (!membership) return;
    this.#deps.resumables.forget(membership.resumeToken);
    await this.#socket.leave(callRoom(membership.room.id));
    this.#remove(membership.room, membership.participant, log);
  }

  /**
   * The socket closed: a leave when the client (or the server) closed it; when
   * the network took it, the participant stays in the call for the resume
   * grace, and is removed only if no socket resumes it by then.
   */
  async #dropped(reason: string): Promise<void> {
    if (!DROPPED_CONNECTION.has(reason) || !this.#deps.resumables.enabled) return this.#leave();
    const log = this.#log;
    const membership = this.#detach();
    if (!membership) return;
    const { room, participant, resumeToken } = membership;
    log.info('connection dropped: participant held for a resume');
    this.#deps.resumables.hold(resumeToken, () => this.#remove(room, participant, log));
  }

  /** The participant is out of the call: the others and the app backend hear it once. */
  #remove(room: Room, participant: Participant, log: Logger): void {
    const left = room.remove(participant.socketId);
    if (!left) return;
    this.#deps.lifecycle.participant(room.id, room.callId, 'left', {
      userId: left.userId,
      socketId: participant.socketId,
    });
    this.#socket.nsp.to(callRoom(room.id)).emit('participantLeft', { socketId: participant.socketId });
    log.info({ size: room.size }, 'left call');
    this.#deps.emptyRooms.left(room);
  }

  /** The device's first consumer is resumed: media can flow to it, so its join is complete. */
  #firstMediaReached(): void {
    if (this.#joinStartedAt === undefined) return;
    this.#deps.calls.joined((performance.now() - this.#joinStartedAt) / 1000);
    this.#joinStartedAt = undefined;
  }

  async #notifyMembers<E extends 'group_call_started'>(
    conversationId: string,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): Promise<void> {
    try {
      const members = await this.#deps.access.memberIds(conversationId);
      this.#deps.notifier.notifyUsers(members, event, payload);
    } catch (error) {
      this.#log.error({ event, err: error }, 'could not notify call members');
    }
  }

  #requireUser(): string {
    if (!this.#userId) throw new CallError('unauthenticated', ErrorMessage.joinFirst);
    return this.#userId;
  }

  #inCall(): Membership {
    if (!this.#membership) throw new CallError('not-found', ErrorMessage.participantNotFound);
    return this.#membership;
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#membershipQueue.then(task, task);
    this.#membershipQueue = run.catch(() => undefined);
    return run;
  }
}

/** Preferred layers as mediasoup takes them: no temporal layer (absent, null) means the highest. */
function consumerLayers(layers: z.output<typeof PreferredLayersSchema>): types.ConsumerLayers {
  const { spatialLayer, temporalLayer } = layers;
  return temporalLayer == null ? { spatialLayer } : { spatialLayer, temporalLayer };
}

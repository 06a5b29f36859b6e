import type { z } from 'zod';
import {
  ConnectTransportPayloadSchema,
  ConsumeAckSchema,
  ConsumePayloadSchema,
  CreateRoomAckSchema,
  CreateRoomPayloadSchema,
  CreateTransportAckSchema,
  CreateTransportPayloadSchema,
  GetProducersAckSchema,
  GroupCallInitiatePayloadSchema,
  JoinPayloadSchema,
  ProduceAckSchema,
  ProducePayloadSchema,
  RenewTokenPayloadSchema,
  RestartIceAckSchema,
  RestartIcePayloadSchema,
  ResumeAckSchema,
  ResumeConsumerPayloadSchema,
  ResumePayloadSchema,
  SuccessAckSchema,
} from './client-events.ts';
import { ClientEvent, type ClientEventName, ServerEvent, type ServerEventName } from './events.ts';
import {
  ConsumerControlPayloadSchema,
  ConsumerLayersChangedSchema,
  ProducerLayersWantedSchema,
  SetConsumerPreferredLayersPayloadSchema,
  SetConsumerPriorityPayloadSchema,
} from './layer-events.ts';
import {
  CallInterruptedSchema,
  ConsumerClosedSchema,
  GroupCallDeclinedSchema,
  GroupCallEndedSchema,
  GroupCallErrorSchema,
  GroupCallIncomingSchema,
  GroupCallRingStoppedSchema,
  GroupCallStartedSchema,
  NewProducerSchema,
  ParticipantLeftSchema,
} from './server-events.ts';
import {
  ActiveSpeakerSchema,
  AudioLevelsSchema,
  ProducerControlPayloadSchema,
  ProducerStateChangedSchema,
} from './track-events.ts';

/**
 * Every signalling event with the schemas of its payload and ack: the
 * machine-readable form of socket-events.ts, from which the AsyncAPI document
 * (docs/protocol/asyncapi.json) is generated. The schemas are the ones the
 * server validates with and the SDK parses with.
 */
export interface ClientEventSpec {
  name: ClientEventName;
  summary: string;
  /** The single argument before the ack; absent: the event carries none. */
  payload?: z.ZodType;
  /** The ack's success shape (an ack is it or `{error}`); absent: no ack. */
  ack?: z.ZodType;
  /** The guide sends this event without an ack callback; errors then come as group_call_error. */
  ackOptional?: boolean;
}

export interface ServerEventSpec {
  name: ServerEventName;
  summary: string;
  payload: z.ZodType;
  /** Not in the original guide: old clients may ignore it. */
  additive?: boolean;
}

export const clientEventSpecs: readonly ClientEventSpec[] = [
  {
    name: ClientEvent.join,
    summary:
      'Identify the connection with the user id (it must match the access token of the handshake). ' +
      'Answers {success: true} when the client passes an ack callback (additive).',
    payload: JoinPayloadSchema,
    ack: SuccessAckSchema,
    ackOptional: true,
  },
  {
    name: ClientEvent.groupCallInitiate,
    summary:
      "The guide's way to start a call: the pod forwards it to the control plane, which rings the " +
      'members (group_call_incoming) and tells everyone group_call_started. New clients use POST /v1/calls.',
    payload: GroupCallInitiatePayloadSchema,
    ack: SuccessAckSchema,
    ackOptional: true,
  },
  {
    name: ClientEvent.createRoom,
    summary:
      "Enter the call's media room (roomId = conversation id) with the ticket from the control plane; " +
      "answers the router's RTP capabilities for mediasoup-client's Device.load().",
    payload: CreateRoomPayloadSchema,
    ack: CreateRoomAckSchema,
  },
  {
    name: ClientEvent.createTransport,
    summary: 'Create a WebRTC transport, send (default) or recv; at most one of each per device is typical.',
    payload: CreateTransportPayloadSchema,
    ack: CreateTransportAckSchema,
  },
  {
    name: ClientEvent.connectTransport,
    summary:
      "Connect a transport with the client's DTLS parameters (mediasoup-client's transport 'connect').",
    payload: ConnectTransportPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.produce,
    summary: "Send a track (mediasoup-client's transport 'produce'); the others get newProducer.",
    payload: ProducePayloadSchema,
    ack: ProduceAckSchema,
  },
  {
    name: ClientEvent.getProducers,
    summary: "The other participants' producers, to consume after entering.",
    ack: GetProducersAckSchema,
  },
  {
    name: ClientEvent.consume,
    summary:
      'Receive a producer on the recv transport; the consumer starts paused until resumeConsumer. ' +
      'preferredLayers (additive): the layers wanted from the start, e.g. a thumbnail’s.',
    payload: ConsumePayloadSchema,
    ack: ConsumeAckSchema,
  },
  {
    name: ClientEvent.resumeConsumer,
    summary: 'Start the media of a consumer once its track is attached, or again after pauseConsumer.',
    payload: ResumeConsumerPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.leaveRoom,
    summary:
      "Leave the call: the device's transports, producers and consumers are closed; the others get participantLeft.",
  },
  {
    name: ClientEvent.restartIce,
    summary:
      "New ICE credentials for one of your own transports after the device's network changed or its " +
      "path failed; pass them to the transport's restartIce. The SDK does it by itself.",
    payload: RestartIcePayloadSchema,
    ack: RestartIceAckSchema,
  },
  {
    name: ClientEvent.renewToken,
    summary:
      'A newer access token for your own user: a socket authenticated in its handshake is disconnected ' +
      'when its token expires (group_call_error "Your access token expired…") unless it renews it first.',
    payload: RenewTokenPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.resume,
    summary:
      'After the signalling connection dropped: on the new socket, join as the same user, then present the ' +
      "resumeToken of createRoom's answer (or of the last resume) within the server's grace period " +
      '(CALL_RESUME_GRACE_SECONDS). The device gets its participant back (transports, producers, consumers, ' +
      'and the socketId the others know it by); the others see no participantLeft. The SDK does it by itself.',
    payload: ResumePayloadSchema,
    ack: ResumeAckSchema,
  },
  {
    name: ClientEvent.pauseProducer,
    summary: 'Pause one of your own producers (mute, camera off); the others get producerPaused.',
    payload: ProducerControlPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.resumeProducer,
    summary: 'Resume one of your own paused producers; the others get producerResumed.',
    payload: ProducerControlPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.closeProducer,
    summary:
      'Stop sending one of your own producers (e.g. end a screen share); the others get producerClosed ' +
      'and consumerClosed for their consumers of it.',
    payload: ProducerControlPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.setConsumerPreferredLayers,
    summary:
      'The highest simulcast/SVC layers wanted on one of your consumers (0 = lowest; a small tile asks ' +
      "for 0); without temporalLayer, that spatial layer's highest. mediasoup forwards at most these, " +
      'lower when the downlink is short.',
    payload: SetConsumerPreferredLayersPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.pauseConsumer,
    summary:
      'Stop receiving one of your consumers for now (its tile is off screen); resumeConsumer restarts it.',
    payload: ConsumerControlPayloadSchema,
    ack: SuccessAckSchema,
  },
  {
    name: ClientEvent.setConsumerPriority,
    summary:
      'Priority 1 (default) to 255 of one of your consumers: when the downlink is short, higher ' +
      'priorities get their bitrate first (e.g. the active speaker or a screen share).',
    payload: SetConsumerPriorityPayloadSchema,
    ack: SuccessAckSchema,
  },
];

export const serverEventSpecs: readonly ServerEventSpec[] = [
  {
    name: ServerEvent.groupCallIncoming,
    summary:
      'Ring: a member started a call in one of your conversations (every device of every other member).',
    payload: GroupCallIncomingSchema,
  },
  {
    name: ServerEvent.groupCallStarted,
    summary: 'A call started in one of your conversations (all members, for the "call in progress" banner).',
    payload: GroupCallStartedSchema,
  },
  {
    name: ServerEvent.groupCallEnded,
    summary: 'The call ended (the room emptied): stop the banner and leave the call UI.',
    payload: GroupCallEndedSchema,
  },
  {
    name: ServerEvent.groupCallError,
    summary: 'A request without an ack callback failed; the message is one of the error strings.',
    payload: GroupCallErrorSchema,
  },
  {
    name: ServerEvent.newProducer,
    summary: 'Another participant started sending a track: consume it.',
    payload: NewProducerSchema,
  },
  {
    name: ServerEvent.participantLeft,
    summary: "A participant's device left the call: remove its tiles.",
    payload: ParticipantLeftSchema,
  },
  {
    name: ServerEvent.consumerClosed,
    summary: 'A consumer was closed because its producer went away: drop the track.',
    payload: ConsumerClosedSchema,
    additive: true,
  },
  {
    name: ServerEvent.callInterrupted,
    summary:
      "The call's media was lost here: rejoin this pod (media-worker-died) or ask the control plane " +
      'where to rejoin (server-shutdown, call-moved). The SDK does it by itself.',
    payload: CallInterruptedSchema,
    additive: true,
  },
  {
    name: ServerEvent.groupCallRingStopped,
    summary:
      'Stop ringing: declined or answered on another device, the call ended, or nobody answered in time.',
    payload: GroupCallRingStoppedSchema,
    additive: true,
  },
  {
    name: ServerEvent.groupCallDeclined,
    summary: 'A member declined the call you started (every device of the caller).',
    payload: GroupCallDeclinedSchema,
    additive: true,
  },
  {
    name: ServerEvent.producerPaused,
    summary: 'Another participant paused a producer (muted, camera off): show it as muted.',
    payload: ProducerStateChangedSchema,
    additive: true,
  },
  {
    name: ServerEvent.producerResumed,
    summary: 'Another participant resumed a paused producer.',
    payload: ProducerStateChangedSchema,
    additive: true,
  },
  {
    name: ServerEvent.producerClosed,
    summary: 'Another participant stopped a producer (e.g. ended a screen share): remove its tile.',
    payload: ProducerStateChangedSchema,
    additive: true,
  },
  {
    name: ServerEvent.activeSpeaker,
    summary: "The call's dominant speaker changed (mediasoup's ActiveSpeakerObserver).",
    payload: ActiveSpeakerSchema,
    additive: true,
  },
  {
    name: ServerEvent.audioLevels,
    summary: 'The loudest audio producers of the call, a few times a second while anyone is audible.',
    payload: AudioLevelsSchema,
    additive: true,
  },
  {
    name: ServerEvent.consumerLayersChanged,
    summary:
      'mediasoup switched the layers it forwards on one of your consumers (your preference, the sender, ' +
      'or the bandwidth estimate); both null: none for now.',
    payload: ConsumerLayersChangedSchema,
    additive: true,
  },
  {
    name: ServerEvent.producerLayersWanted,
    summary:
      'The highest spatial layer of your simulcast producer that any receiver wants now (dynacast): send ' +
      'up to it and pause the layers above. Raised at once; lowered only after the layer has gone ' +
      'unwatched for SIMULCAST_UNUSED_LAYER_GRACE_SECONDS.',
    payload: ProducerLayersWantedSchema,
    additive: true,
  },
];

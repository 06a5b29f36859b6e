import type {
  Ack,
  ConnectTransportPayload,
  ConsumeAck,
  ConsumePayload,
  CreateRoomAck,
  CreateRoomPayload,
  CreateTransportAck,
  CreateTransportPayload,
  GetProducersAck,
  GroupCallInitiatePayload,
  ProduceAck,
  ProducePayload,
  RenewTokenPayload,
  RestartIceAck,
  RestartIcePayload,
  ResumeAck,
  ResumeConsumerPayload,
  ResumePayload,
  SuccessAck,
} from './client-events.ts';
import type {
  ConsumerControlPayload,
  ConsumerLayersChanged,
  ProducerLayersWanted,
  SetConsumerPreferredLayersPayload,
  SetConsumerPriorityPayload,
} from './layer-events.ts';
import type {
  CallInterrupted,
  ConsumerClosed,
  GroupCallDeclined,
  GroupCallEnded,
  GroupCallError,
  GroupCallIncoming,
  GroupCallRingStopped,
  GroupCallStarted,
  NewProducer,
  ParticipantLeft,
} from './server-events.ts';
import type {
  ActiveSpeaker,
  AudioLevels,
  ProducerControlPayload,
  ProducerStateChanged,
} from './track-events.ts';

/**
 * Socket.IO event maps (for `Socket<ServerToClientEvents, ClientToServerEvents>`
 * on the client). The server does not trust these types for what it receives:
 * it validates every payload with the schemas.
 */
export type AckCallback<T> = (response: Ack<T>) => void;

export interface ClientToServerEvents {
  /** The ack is additive (the guide sends none): `{ success: true }` once the server knows the user. */
  join: (userId: string | number, ack?: AckCallback<SuccessAck>) => void;
  group_call_initiate: (payload: GroupCallInitiatePayload) => void;
  createRoom: (payload: CreateRoomPayload, ack: AckCallback<CreateRoomAck>) => void;
  createTransport: (payload: CreateTransportPayload, ack: AckCallback<CreateTransportAck>) => void;
  connectTransport: (payload: ConnectTransportPayload, ack: AckCallback<SuccessAck>) => void;
  produce: (payload: ProducePayload, ack: AckCallback<ProduceAck>) => void;
  /** Also accepted as `emit('getProducers', data, ack)`, as the original server did. */
  getProducers: (ack: AckCallback<GetProducersAck>) => void;
  consume: (payload: ConsumePayload, ack: AckCallback<ConsumeAck>) => void;
  resumeConsumer: (payload: ResumeConsumerPayload, ack: AckCallback<SuccessAck>) => void;
  leaveRoom: () => void;
  /** Additive: new ICE parameters for one of the device's own transports. */
  restartIce: (payload: RestartIcePayload, ack: AckCallback<RestartIceAck>) => void;
  /** Additive: a newer access token for the same user; without it the socket ends when its token expires. */
  renewToken: (payload: RenewTokenPayload, ack: AckCallback<SuccessAck>) => void;
  /** Additive: takes back this device's participant after its connection dropped. */
  resume: (payload: ResumePayload, ack: AckCallback<ResumeAck>) => void;
  pauseProducer: (payload: ProducerControlPayload, ack: AckCallback<SuccessAck>) => void;
  resumeProducer: (payload: ProducerControlPayload, ack: AckCallback<SuccessAck>) => void;
  closeProducer: (payload: ProducerControlPayload, ack: AckCallback<SuccessAck>) => void;
  setConsumerPreferredLayers: (
    payload: SetConsumerPreferredLayersPayload,
    ack: AckCallback<SuccessAck>,
  ) => void;
  pauseConsumer: (payload: ConsumerControlPayload, ack: AckCallback<SuccessAck>) => void;
  setConsumerPriority: (payload: SetConsumerPriorityPayload, ack: AckCallback<SuccessAck>) => void;
}

export interface ServerToClientEvents {
  group_call_incoming: (payload: GroupCallIncoming) => void;
  group_call_started: (payload: GroupCallStarted) => void;
  group_call_ended: (payload: GroupCallEnded) => void;
  group_call_error: (payload: GroupCallError) => void;
  newProducer: (payload: NewProducer) => void;
  participantLeft: (payload: ParticipantLeft) => void;
  consumerClosed: (payload: ConsumerClosed) => void;
  callInterrupted: (payload: CallInterrupted) => void;
  group_call_ring_stopped: (payload: GroupCallRingStopped) => void;
  group_call_declined: (payload: GroupCallDeclined) => void;
  producerPaused: (payload: ProducerStateChanged) => void;
  producerResumed: (payload: ProducerStateChanged) => void;
  producerClosed: (payload: ProducerStateChanged) => void;
  activeSpeaker: (payload: ActiveSpeaker) => void;
  audioLevels: (payload: AudioLevels) => void;
  consumerLayersChanged: (payload: ConsumerLayersChanged) => void;
  producerLayersWanted: (payload: ProducerLayersWanted) => void;
}

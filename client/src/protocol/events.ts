/**
 * Socket.IO event names of the group-call wire protocol, exactly as the
 * integration guide (and the original server) spell them.
 */

/** Events a client emits to the server. */
export const ClientEvent = {
  join: 'join',
  groupCallInitiate: 'group_call_initiate',
  createRoom: 'createRoom',
  createTransport: 'createTransport',
  connectTransport: 'connectTransport',
  produce: 'produce',
  getProducers: 'getProducers',
  consume: 'consume',
  resumeConsumer: 'resumeConsumer',
  leaveRoom: 'leaveRoom',
  /**
   * Not in the original guide (additive): new ICE credentials for one of the
   * device's own transports, after its network changed or its path failed.
   */
  restartIce: 'restartIce',
  /**
   * Not in the original guide (additive): a newer access token for the same
   * user, so the socket outlives the one it connected with.
   */
  renewToken: 'renewToken',
  /**
   * Additive: a new socket takes back the participant of a dropped one, with
   * the resume credential from `createRoom` (or the previous `resume`).
   */
  resume: 'resume',
  /** Additive (track control): pause, resume or close one of the device's own producers. */
  pauseProducer: 'pauseProducer',
  resumeProducer: 'resumeProducer',
  closeProducer: 'closeProducer',
  /** Additive (layers): on one of the device's own consumers. */
  setConsumerPreferredLayers: 'setConsumerPreferredLayers',
  pauseConsumer: 'pauseConsumer',
  setConsumerPriority: 'setConsumerPriority',
} as const;
export type ClientEventName = (typeof ClientEvent)[keyof typeof ClientEvent];

/** Events the server emits to clients. */
export const ServerEvent = {
  groupCallIncoming: 'group_call_incoming',
  groupCallStarted: 'group_call_started',
  groupCallEnded: 'group_call_ended',
  groupCallError: 'group_call_error',
  newProducer: 'newProducer',
  participantLeft: 'participantLeft',
  /**
   * Not in the original guide (additive): a consumer was closed by the server
   * because its producer went away. Clients drop the matching track.
   */
  consumerClosed: 'consumerClosed',
  /**
   * Not in the original guide (additive): the media for a call was lost on the
   * server (for example its mediasoup worker died). The client SDK rejoins.
   */
  callInterrupted: 'callInterrupted',
  /**
   * Not in the original guide (additive): a user's devices should stop ringing
   * for a call (the user declined or answered elsewhere, the call ended, or
   * nobody answered in time).
   */
  groupCallRingStopped: 'group_call_ring_stopped',
  /** Not in the original guide (additive): a member declined the call this user started. */
  groupCallDeclined: 'group_call_declined',
  /** Additive (track control): another participant paused, resumed or closed a producer. */
  producerPaused: 'producerPaused',
  producerResumed: 'producerResumed',
  producerClosed: 'producerClosed',
  /** Additive (speaking): the dominant speaker changed; the loudest audio levels, a few times a second. */
  activeSpeaker: 'activeSpeaker',
  audioLevels: 'audioLevels',
  /** Additive (layers): mediasoup switched the layers it forwards on one of your consumers. */
  consumerLayersChanged: 'consumerLayersChanged',
  /** Additive (dynacast): the highest simulcast layer of your producer that anyone watches. */
  producerLayersWanted: 'producerLayersWanted',
} as const;
export type ServerEventName = (typeof ServerEvent)[keyof typeof ServerEvent];

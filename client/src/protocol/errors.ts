/**
 * Error strings of the wire protocol. Clients match on the guide's strings
 * ("Join first with your user ID", "You are not in this group", …), so they
 * are kept verbatim; new ones follow the same plain-sentence style.
 */
export const ErrorMessage = {
  // From the original server and the guide.
  joinFirst: 'Join first with your user ID',
  notInGroup: 'You are not in this group',
  rtpCapabilitiesMismatch: 'RTP capabilities mismatch',
  participantNotFound: 'Participant not found',
  transportNotFound: 'Transport not found',
  receiveTransportNotFound: 'Receive transport not found',
  producerNotFound: 'Producer not found',
  consumerNotFound: 'Consumer not found',
  cannotConsumeOwnProducer: 'Cannot consume own producer',
  roomIdRequired: 'roomId required',
  invalidCallerId: 'Invalid caller id',

  // Added: validation, identity and limits.
  invalidPayload: 'Invalid payload',
  unknownConversation: 'Conversation not found',
  authenticationRequired: 'Authentication required',
  payloadTooLarge: 'Payload too large',
  unknownEvent: 'Unknown event',
  accessTokenExpired: 'Your access token expired: connect again with a new one',
  renewTokenOtherUser: 'A renewed access token must be for the same user',
  tooManyRequests: 'Too many requests, slow down',
  identityMismatch: 'User id does not match the authenticated user',
  alreadyJoinedAsOtherUser: 'This connection is already joined as another user',
  roomFull: 'This call is full',
  tooManyTransports: 'Too many transports',
  tooManyProducers: 'Too many producers',
  tooManyConsumers: 'Too many consumers',
  alreadyConsuming: 'This connection already consumes this producer',
  tooManyDevices: 'Too many devices connected for this user',
  tooManyDevicesInCall: 'Too many of your devices are in this call',
  tooManyUnauthenticated: 'Too many unauthenticated connections from this address',
  authenticationTimeout: 'Not authenticated in time: send join (or a handshake token) right after connecting',
  wrongTransportDirection: 'Wrong transport direction',
  callInterrupted: 'The call was interrupted, rejoin',
  callEnded: 'This call has ended',
  hostedElsewhere: 'This call is hosted on another server',
  placementUnavailable: 'Call placement is unavailable, try again shortly',
  draining: 'This server is shutting down, join through the control plane again',
  serverBusy: 'Server is busy, try again',
  notYourProducer: 'You can only control your own producers',
  sourceAlreadyProduced: 'This device already sends a track from this source',
  sourceKindMismatch: 'This source does not carry this kind of track',
  resumeUnknown: 'Resume credential unknown or expired',
  resumeOtherUser: 'This resume credential belongs to another user',
  internal: 'Internal server error',
} as const;
export type ErrorMessageText = (typeof ErrorMessage)[keyof typeof ErrorMessage];

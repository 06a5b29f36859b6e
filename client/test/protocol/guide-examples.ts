/**
 * Payloads as the integration guide shows them, filled in with what a real
 * mediasoup-client 3 device in Chrome sends (captured shapes, shortened).
 */
const dtlsParameters = {
  role: 'client' as const,
  fingerprints: [
    {
      algorithm: 'sha-256' as const,
      value:
        'A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90',
    },
  ],
};

const opusParameters = {
  mid: '0',
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1, sprop_stereo: 0, usedtx: 1 },
      rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
    },
  ],
  headerExtensions: [
    { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4, encrypt: false, parameters: {} },
    {
      uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      id: 2,
      encrypt: false,
      parameters: {},
    },
  ],
  encodings: [{ ssrc: 1396573207, dtx: false }],
  rtcp: { cname: 'xtMNm3T7QEM5ZqHG', reducedSize: true },
};

const vp8Parameters = {
  mid: '1',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [
        { type: 'goog-remb', parameter: '' },
        { type: 'transport-cc', parameter: '' },
        { type: 'ccm', parameter: 'fir' },
        { type: 'nack', parameter: '' },
        { type: 'nack', parameter: 'pli' },
      ],
    },
    { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 }, rtcpFeedback: [] },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4, encrypt: false, parameters: {} }],
  encodings: [
    { ssrc: 2404221491, rtx: { ssrc: 3212093512 }, scalabilityMode: 'L1T3', maxBitrate: 500000, dtx: false },
  ],
  rtcp: { cname: 'xtMNm3T7QEM5ZqHG', reducedSize: true },
};

const deviceRtpCapabilities = {
  codecs: [
    {
      kind: 'audio' as const,
      mimeType: 'audio/opus',
      preferredPayloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 },
      rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
    },
    {
      kind: 'video' as const,
      mimeType: 'video/VP8',
      preferredPayloadType: 101,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [{ type: 'nack', parameter: '' }],
    },
  ],
  headerExtensions: [
    {
      kind: 'video' as const,
      uri: 'urn:ietf:params:rtp-hdrext:sdes:mid',
      preferredId: 1,
      preferredEncrypt: false,
      direction: 'sendrecv' as const,
    },
  ],
};

const participantInfo = {
  userId: '42',
  name: 'Alice',
  avatar: 'https://your-server/uploads/avatars/alice.jpg',
};

export const guide = {
  groupCallInitiate: { callerId: '42', conversationId: 'abc123', callType: 'video' as const },
  createRoom: { roomId: 'abc123' },
  createRoomAck: { rtpCapabilities: deviceRtpCapabilities },
  createTransportAck: {
    id: '1b7a0c8e-4a52-4b0e-9d4c-8f43a3b1d2e1',
    iceParameters: { usernameFragment: 'abcd1234', password: 'p4ssw0rdp4ssw0rd', iceLite: true },
    iceCandidates: [
      {
        foundation: 'udpcandidate',
        priority: 1076302079,
        ip: '203.0.113.7',
        protocol: 'udp' as const,
        port: 40000,
        type: 'host' as const,
      },
      {
        foundation: 'tcpcandidate',
        priority: 1076276479,
        ip: '203.0.113.7',
        protocol: 'tcp' as const,
        port: 40000,
        type: 'host' as const,
        tcpType: 'passive' as const,
      },
    ],
    dtlsParameters: { role: 'auto' as const, fingerprints: dtlsParameters.fingerprints },
  },
  connectTransport: { transportId: '1b7a0c8e-4a52-4b0e-9d4c-8f43a3b1d2e1', dtlsParameters },
  produceAudio: {
    transportId: '1b7a0c8e-4a52-4b0e-9d4c-8f43a3b1d2e1',
    kind: 'audio' as const,
    rtpParameters: opusParameters,
  },
  produceVideo: {
    transportId: '1b7a0c8e-4a52-4b0e-9d4c-8f43a3b1d2e1',
    kind: 'video' as const,
    rtpParameters: vp8Parameters,
  },
  consume: {
    transportId: '6c1d2e3f-0000-4000-8000-000000000001',
    producerId: '9f8e7d6c-0000-4000-8000-000000000002',
    rtpCapabilities: deviceRtpCapabilities,
  },
  consumeAck: {
    id: '5a5a5a5a-0000-4000-8000-000000000003',
    producerId: '9f8e7d6c-0000-4000-8000-000000000002',
    kind: 'video' as const,
    rtpParameters: vp8Parameters,
  },
  getProducersAck: {
    producers: [
      {
        id: '9f8e7d6c-0000-4000-8000-000000000002',
        kind: 'video' as const,
        socketId: 'sKx1',
        participantInfo,
      },
      { id: '9f8e7d6c-0000-4000-8000-000000000004', kind: 'audio' as const, socketId: 'sKx1' },
    ],
  },
  groupCallIncoming: {
    callerId: '42',
    conversationId: 'conv_abc123',
    callType: 'video' as const,
    callerInfo: { id: 42, name: 'Alice', avatar: 'https://your-server/uploads/avatars/alice.jpg' },
    conversationInfo: {
      id: 'conv_abc123',
      name: 'Team Alpha',
      avatar: 'https://your-server/uploads/avatars/team_alpha.jpg',
    },
  },
  newProducer: {
    producerId: '9f8e7d6c-0000-4000-8000-000000000002',
    kind: 'video' as const,
    socketId: 'sKx1',
    participantInfo,
  },
  participantInfo,
};

import type { TestClient } from './test-client.ts';

/**
 * Signalling-level media fixtures: what a mediasoup-client device would send,
 * without a browser. Transports connect (mediasoup accepts the parameters;
 * no DTLS handshake happens), producers are created, consumers negotiated.
 */
export const clientDtlsParameters = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }],
};

let nextSsrc = 1000;

export function audioRtpParameters() {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 100,
        clockRate: 48000,
        channels: 2,
        parameters: {},
        rtcpFeedback: [],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc: nextSsrc++ }],
    rtcp: { cname: 'test-client' },
  };
}

export function videoRtpParameters() {
  return {
    mid: '1',
    codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
    headerExtensions: [],
    encodings: [{ ssrc: nextSsrc++ }],
    rtcp: { cname: 'test-client' },
  };
}

export interface InCall {
  client: TestClient;
  // biome-ignore lint/suspicious/noExplicitAny: router capabilities as received
  rtpCapabilities: any;
  sendTransportId: string;
  recvTransportId: string;
  /** The resume credential of the createRoom answer (additive). */
  resumeToken: string | undefined;
}

/** join → createRoom → send and recv transports, both connected: the guide's steps 1–4. */
export async function enterCall(client: TestClient, roomId: string): Promise<InCall> {
  const room = await client.request('createRoom', { roomId });
  if (room.error) throw new Error(room.error);
  const send = await client.request('createTransport', { type: 'send' });
  const recv = await client.request('createTransport', { type: 'recv' });
  for (const transport of [send, recv]) {
    const connected = await client.request('connectTransport', {
      transportId: transport.id,
      dtlsParameters: clientDtlsParameters,
    });
    if (!connected.success) throw new Error(connected.error);
  }
  return {
    client,
    rtpCapabilities: room.rtpCapabilities,
    sendTransportId: send.id,
    recvTransportId: recv.id,
    resumeToken: room.resumeToken,
  };
}

export async function produce(call: InCall, kind: 'audio' | 'video'): Promise<string> {
  const response = await call.client.request('produce', {
    transportId: call.sendTransportId,
    kind,
    rtpParameters: kind === 'audio' ? audioRtpParameters() : videoRtpParameters(),
  });
  if (!response.id) throw new Error(response.error);
  return response.id;
}

let nextSimulcastSsrc = 50_000;

/** A camera sent as three simulcast encodings, as mediasoup-client sends them. */
export async function produceSimulcast(call: InCall): Promise<string> {
  const rtpParameters = {
    ...videoRtpParameters(),
    mid: '7',
    encodings: [0, 1, 2].map(() => ({ ssrc: nextSimulcastSsrc++, scalabilityMode: 'L1T3' })),
  };
  const { id, error } = await call.client.request('produce', {
    transportId: call.sendTransportId,
    kind: 'video',
    rtpParameters,
    appData: { source: 'camera' },
  });
  if (!id) throw new Error(error);
  return id;
}

export async function consume(call: InCall, producerId: string) {
  return call.client.request('consume', {
    transportId: call.recvTransportId,
    producerId,
    rtpCapabilities: call.rtpCapabilities,
  });
}

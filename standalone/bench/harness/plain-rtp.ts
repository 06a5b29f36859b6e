import { randomBytes } from 'node:crypto';
import type { types } from 'mediasoup';
import type { LoopbackListen } from './bench-mediasoup.ts';
import type { ReplayRoute } from './fanout-replay.ts';
import type { ReplayTarget } from './media-clip.ts';

/**
 * The plain-RTP ends of the media benchmarks: producers fed by an ffmpeg
 * replay of the clip, and transports that forward to a UDP sink, all on
 * loopback. No browsers: the Worker's own cost is what is measured.
 */

/**
 * The SRTP suite Chromium negotiates with mediasoup (its getStats names
 * SRTP_AEAD_AES_256_GCM on a WebRtcTransport), for the forwarding legs.
 */
export const SRTP_SUITE = 'AEAD_AES_256_GCM' as const;
/** Its master key and salt: 32 + 12 bytes (RFC 7714). */
const SRTP_KEY_BYTES = 44;
/** Payload types the replay sends (ReplayTarget's) and the producers expect. */
export const VIDEO_PT = 101;
export const AUDIO_PT = 100;

/** The replay's SSRC for a participant's audio or video. */
export const replaySsrc = (kind: 'audio' | 'video', participant: number): number =>
  (kind === 'video' ? 11110000 : 22220000) + participant;

/** The SSRC of simulcast layer `layer` of a participant's video (layer 0 is replaySsrc's). */
export const layerSsrc = (participant: number, layer: number): number =>
  replaySsrc('video', participant) + layer * 100_000;

/** Where a participant's replay sends: its producers' ports, with the payload types and SSRCs they expect. */
export const replayTarget = (participant: number, videoPort: number, audioPort: number): ReplayTarget => ({
  videoPort,
  audioPort,
  videoPayloadType: VIDEO_PT,
  audioPayloadType: AUDIO_PT,
  videoSsrc: replaySsrc('video', participant),
  audioSsrc: replaySsrc('audio', participant),
});

/**
 * A producer for a participant's replayed audio or video: comedia, so the
 * Worker learns the replay's address from its first packet. Video with
 * `layers` > 1 is simulcast, one SSRC per layer (layerSsrc), lowest first.
 * Answers the port the replay sends to.
 */
export async function replayedProducer(
  router: types.Router,
  listen: LoopbackListen,
  kind: 'audio' | 'video',
  participant: number,
  layers = 1,
): Promise<{ producer: types.Producer; port: number }> {
  const transport = await router.createPlainTransport({ ...listen, rtcpMux: true, comedia: true });
  const codec =
    kind === 'video'
      ? { mimeType: 'video/VP8' as const, payloadType: VIDEO_PT, clockRate: 90000 }
      : { mimeType: 'audio/opus' as const, payloadType: AUDIO_PT, clockRate: 48000, channels: 2 };
  const producer = await transport.produce({
    kind,
    rtpParameters: {
      codecs: [codec],
      encodings:
        kind === 'video' && layers > 1
          ? Array.from({ length: layers }, (_, layer) => ({ ssrc: layerSsrc(participant, layer) }))
          : [{ ssrc: replaySsrc(kind, participant) }],
    },
  });
  return { producer, port: transport.tuple.localPort };
}

/** A participant's replayed camera and mic: their producers, the ports they receive on, the replay's routes. */
export interface ProducerPair {
  video: types.Producer;
  audio: types.Producer;
  ports: number[];
  /** Every route, the video's (one per layer, lowest first) then the audio's. */
  routes: ReplayRoute[];
  /** The video's routes by simulcast layer, lowest first (one without simulcast). */
  videoRoutes: ReplayRoute[];
}

/**
 * A participant's two producers, fed by the replay: video from the replay's
 * inputs `videoInputs` (one per simulcast layer, lowest first; one input is a
 * single-layer producer), audio from input `audioInput`, each with that
 * participant's SSRCs.
 */
export async function producerPair(
  router: types.Router,
  listen: LoopbackListen,
  participant: number,
  inputs: { videoInputs: readonly number[]; audioInput: number },
): Promise<ProducerPair> {
  const video = await replayedProducer(router, listen, 'video', participant, inputs.videoInputs.length);
  const audio = await replayedProducer(router, listen, 'audio', participant);
  // layerSsrc(participant, 0) is replaySsrc('video', participant): a single layer gets the same SSRC.
  const videoRoutes = inputs.videoInputs.map((input, layer) => ({
    input,
    port: video.port,
    ssrc: layerSsrc(participant, layer),
  }));
  return {
    video: video.producer,
    audio: audio.producer,
    ports: [video.port, audio.port],
    routes: [
      ...videoRoutes,
      { input: inputs.audioInput, port: audio.port, ssrc: replaySsrc('audio', participant) },
    ],
    videoRoutes,
  };
}

/**
 * A transport that forwards to `port` on loopback, with SRTP unless `srtp` is
 * false. The far end never sends, so its key only has to be well formed.
 */
export async function forwardingTransport(
  router: types.Router,
  listen: LoopbackListen,
  port: number,
  srtp = true,
): Promise<types.PlainTransport> {
  const transport = await router.createPlainTransport({
    ...listen,
    rtcpMux: true,
    comedia: false,
    enableSrtp: srtp,
    srtpCryptoSuite: SRTP_SUITE,
  });
  await transport.connect({
    ip: '127.0.0.1',
    port,
    srtpParameters: srtp
      ? { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(SRTP_KEY_BYTES).toString('base64') }
      : undefined,
  });
  return transport;
}

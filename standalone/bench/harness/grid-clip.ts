import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workerCacheRoot } from '@groupcall/sfu-worker/composition';
// A relative import, as shared/src/protocol.ts does: the client package's exports point at its
// built JavaScript, and the benchmarks run TypeScript sources. The SDK's own numbers, not a copy.
import { CAMERA_SIMULCAST_ENCODINGS, TYPICAL_CAMERA_HEIGHT } from '../../../client/src/client/simulcast.ts';
import { compiledC } from './udp-sink.ts';

/**
 * The pre-encoded media of the grid-call benchmark, as the SDK sends a
 * camera and a microphone: the camera as the three VP8 simulcast layers of
 * CAMERA_SIMULCAST_ENCODINGS (a 720p source scaled by each layer's factor, at
 * each layer's maxBitrate), a talking microphone (opus, 20 ms frames) in one
 * clip, and beside it a silent microphone encoded with Opus DTX
 * (call-capacity/opus-dtx.c) as length-prefixed frames. Encoded once and
 * cached next to the provisioned mediasoup worker, like the all-video clip.
 */
const GRID_CLIP_VERSION = 'grid-v1';
const SECONDS = 10;
const SOURCE_WIDTH = (TYPICAL_CAMERA_HEIGHT * 16) / 9;

export const gridLayers = CAMERA_SIMULCAST_ENCODINGS.map((encoding) => {
  const scale = encoding.scaleResolutionDownBy ?? 1;
  return {
    width: SOURCE_WIDTH / scale,
    height: TYPICAL_CAMERA_HEIGHT / scale,
    kbps: (encoding.maxBitrate ?? 0) / 1000,
  };
});

export const gridClipInfo = {
  video: `VP8 simulcast ${gridLayers.map((l) => `${l.width}x${l.height} ${l.kbps} kbit/s`).join(' / ')}, 30 fps, keyframe every 1 s, one temporal layer`,
  talking: 'opus 48 kHz mono, 20 ms frames, 32 kbit/s (pink noise, amplitude-modulated like syllables)',
  silent: 'opus 48 kHz mono, 20 ms frames, 32 kbit/s, libopus DTX on silence (a noise-suppressed quiet room)',
};

export interface GridClip {
  /** Matroska: video streams 0..2 the simulcast layers (lowest first), audio stream 0 a talking mic. */
  file: string;
  /** A silent mic with DTX: 2-byte big-endian length + opus frame, one per 20 ms. */
  silence: string;
}

const ffmpegQuiet = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];

export function ensureGridClip(): GridClip {
  const dir = path.join(workerCacheRoot(), 'bench');
  const clip: GridClip = {
    file: path.join(dir, `clip-grid-vp8x3-opus-${GRID_CLIP_VERSION}.mkv`),
    silence: path.join(dir, `clip-grid-silent-opus-dtx-${GRID_CLIP_VERSION}.bin`),
  };
  mkdirSync(dir, { recursive: true });
  if (!existsSync(clip.file)) encodeVideoAndTalk(clip.file);
  if (!existsSync(clip.silence)) encodeSilence(clip.silence);
  return clip;
}

function encodeVideoAndTalk(file: string): void {
  const partial = `${file}.partial.mkv`;
  const scaled = gridLayers.map((l, i) => `[s${i}]scale=${l.width}:${l.height}[v${i}]`).join(';');
  const splits = gridLayers.map((_, i) => `[s${i}]`).join('');
  execFileSync(
    'ffmpeg',
    [
      ...ffmpegQuiet,
      // testsrc2 moves every frame, so VP8 frames are realistically sized (not all-skip).
      ...['-f', 'lavfi', '-i', `testsrc2=size=${SOURCE_WIDTH}x${TYPICAL_CAMERA_HEIGHT}:rate=30`],
      ...['-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.3:sample_rate=48000'],
      ...[
        '-filter_complex',
        `[0:v]split=${gridLayers.length}${splits};${scaled};[1:a]volume='0.1+0.9*gt(sin(2*PI*3*t),0)':eval=frame[a]`,
      ],
      ...gridLayers.flatMap((_, i) => ['-map', `[v${i}]`]),
      ...['-map', '[a]', '-t', String(SECONDS)],
      ...gridLayers.flatMap((l, i) => [`-b:v:${i}`, `${l.kbps}k`]),
      // A keyframe each second bounds how long a new consumer (or a layer switch) waits: replay cannot answer PLIs.
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '30', '-keyint_min', '30'],
      ...['-auto-alt-ref', '0', '-lag-in-frames', '0'],
      ...['-c:a', 'libopus', '-b:a', '32k', '-ac', '1', '-application', 'voip', '-frame_duration', '20'],
      partial,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 },
  );
  renameSync(partial, file);
}

function encodeSilence(file: string): void {
  // Digital silence, as WebRTC's noise suppression hands a quiet room to the encoder: libopus
  // 1.3 at 32 kbit/s stays out of DTX on a −70 dBFS noise floor (its CELT/hybrid modes take
  // DTX only on silence). One more second, whose frames are dropped below: the encoder's
  // first ~200 ms are real frames, and the looped file should be the steady state.
  const pcm = execFileSync(
    'ffmpeg',
    [
      ...ffmpegQuiet,
      ...['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono'],
      ...['-t', String(SECONDS + 1), '-f', 's16le', '-ac', '1', '-ar', '48000', '-'],
    ],
    { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
  );
  const encoder = compiledC(
    new URL('../call-capacity/opus-dtx.c', import.meta.url).pathname,
    'opus-dtx',
    ['-l:libopus.so.0'],
    "libopus0, Opus's runtime library: apt-get install libopus0",
  );
  const frames = splitFrames(
    execFileSync(encoder, { input: pcm, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }),
  );
  writeFileSync(`${file}.partial`, Buffer.concat(frames.slice(FRAMES_PER_SECOND).flatMap(framed)));
  renameSync(`${file}.partial`, file);
}

const FRAMES_PER_SECOND = 50;
const framed = (frame: Buffer) => {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(frame.length);
  return [length, frame];
};

/** The opus frames of a silence file (or the encoder's output): one per 20 ms. */
export function splitFrames(data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at + 2 <= data.length; ) {
    const length = data.readUInt16BE(at);
    frames.push(data.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return frames;
}

/** A DTX frame (≤ 2 bytes: the TOC byte and at most one more), which WebRTC does not transmit. */
export const isDtxFrame = (payload: Buffer) => payload.length <= 2;

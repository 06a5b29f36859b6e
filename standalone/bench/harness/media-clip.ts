import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { workerCacheRoot } from '@groupcall/sfu-worker/composition';
import { onProcessExit } from '@groupcall/testing';
import { type Cores, spawnOnCore } from './proc.ts';

/**
 * Pre-encoded media for RTP replay. The clip is encoded once (VP8 + opus,
 * like a browser sends) and cached next to the provisioned mediasoup worker;
 * at run time ffmpeg only re-packetizes it (`-c copy`), so the load generator
 * spends almost nothing per packet and never encodes.
 */
const CLIP_VERSION = 'v1';

export const clipInfo = {
  video: 'VP8 640x360 30 fps, ~700 kbit/s, keyframe every 1 s',
  audio: 'opus 48 kHz stereo, 20 ms frames, 48 kbit/s',
};

export function ensureClip(): string {
  const dir = path.join(workerCacheRoot(), 'bench');
  const file = path.join(dir, `clip-vp8-opus-${CLIP_VERSION}.webm`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.partial.webm`;
  // testsrc2 moves every frame, so VP8 frames are realistically sized (not all-skip).
  // A keyframe each second bounds how long a new consumer waits: replay cannot answer PLIs.
  execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      '-t',
      '10',
      ...['-c:v', 'libvpx', '-b:v', '700k', '-deadline', 'realtime', '-cpu-used', '8', '-g', '30'],
      ...['-keyint_min', '30', '-auto-alt-ref', '0', '-lag-in-frames', '0'],
      ...['-c:a', 'libopus', '-b:a', '48k', '-ac', '2', '-frame_duration', '20'],
      partial,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 },
  );
  renameSync(partial, file);
  return file;
}

export interface ReplayTarget {
  videoPort: number;
  audioPort: number;
  videoPayloadType: number;
  audioPayloadType: number;
  videoSsrc: number;
  audioSsrc: number;
}

/**
 * ffmpeg's -re paces by the clock: starved for a moment (the controller
 * creating hundreds of consumers on the same core), it then sends faster than
 * real time until it has caught up, and a measurement window would see more
 * packets than the clip holds. Above everything else on its core, it keeps time.
 */
export const REPLAY_NICE = -15;
/** A replay never outlives a benchmark run (10 minutes), even if its parent is killed. */
const REPLAY_MAX_SECONDS = 600;

/** One RTP stream of a replay: the clip's stream `map` (ffmpeg's -map), as `payloadType`/`ssrc` to `port`. */
export interface ReplayOutput {
  map: string;
  payloadType: number;
  ssrc: number;
  port: number;
}

/**
 * One "participant": ffmpeg replaying the clip in real time, looping, as two
 * RTP streams to loopback ports. No RTCP (ffmpeg would send it from another
 * port, which a comedia transport ignores anyway).
 */
export function startReplay(clip: string, target: ReplayTarget, core: Cores): ChildProcess {
  return startReplayStreams(
    clip,
    [
      { map: '0:v', payloadType: target.videoPayloadType, ssrc: target.videoSsrc, port: target.videoPort },
      { map: '0:a', payloadType: target.audioPayloadType, ssrc: target.audioSsrc, port: target.audioPort },
    ],
    core,
  );
}

/** ffmpeg replaying streams of the clip in real time, looping, each as RTP to its port. */
export function startReplayStreams(
  clip: string,
  outputs: readonly ReplayOutput[],
  core: Cores,
): ChildProcess {
  const output = ({ map, payloadType, ssrc, port }: ReplayOutput) => [
    ...['-map', map, '-c', 'copy', '-f', 'rtp', '-rtpflags', 'skip_rtcp'],
    ...['-payload_type', String(payloadType), '-ssrc', String(ssrc), '-t', String(REPLAY_MAX_SECONDS)],
    `rtp://127.0.0.1:${port}?pkt_size=1200`,
  ];
  const ffmpeg = spawnOnCore(
    core,
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
      ...['-re', '-stream_loop', '-1', '-i', clip],
      ...outputs.flatMap(output),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
    REPLAY_NICE,
  );
  // Stopped with this process even when it ends on a signal (run-all's deadline) and skips its finally blocks.
  const forget = onProcessExit(() => ffmpeg.kill('SIGKILL'));
  ffmpeg.once('exit', forget);
  return ffmpeg;
}

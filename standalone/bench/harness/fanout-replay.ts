import type { ChildProcess } from 'node:child_process';
import type { FanoutOpen, FanoutPause, ReplayRoute } from '../forwarding/replay-fanout.ts';
import { BenchChild } from './ipc.ts';
import { REPLAY_NICE, startReplayStreams } from './media-clip.ts';
import { AUDIO_PT, VIDEO_PT } from './plain-rtp.ts';
import { type Cores, pinToCore, stopChild } from './proc.ts';

export type { ReplayRoute } from '../forwarding/replay-fanout.ts';

/** A stream of the clip the replay sends: ffmpeg's -map and the payload type the producers expect. */
export interface ReplayStream {
  map: string;
  payloadType: number;
}

/** The all-video clip: input 0 its video, input 1 its audio. */
export const CLIP_STREAMS: readonly ReplayStream[] = [
  { map: '0:v', payloadType: VIDEO_PT },
  { map: '0:a', payloadType: AUDIO_PT },
];

/**
 * Every participant of a large call from one ffmpeg replay: ffmpeg replays the
 * clip once into forwarding/replay-fanout.ts, which sends each packet on to
 * every participant's producers with that participant's SSRC, each at its
 * own delay. The load generator then costs one ffmpeg plus one send per
 * packet and participant, instead of an ffmpeg per participant.
 */
export class FanoutReplay {
  readonly #child: BenchChild;
  readonly #ffmpeg: ChildProcess;

  private constructor(child: BenchChild, ffmpeg: ChildProcess) {
    this.#child = child;
    this.#ffmpeg = ffmpeg;
  }

  /**
   * Replays `streams` of `clip` (input i of the routes is streams[i]); with
   * `silence`, input streams.length is a silent DTX microphone paced by input `clock`.
   */
  static async start(
    clip: string,
    core: Cores,
    streams: readonly ReplayStream[] = CLIP_STREAMS,
    silence?: FanoutOpen['silence'],
  ): Promise<FanoutReplay> {
    const child = await BenchChild.start(new URL('../forwarding/replay-fanout.ts', import.meta.url), {
      core,
      // It keeps the replay's time, as ffmpeg does (REPLAY_NICE).
      nice: REPLAY_NICE,
    });
    const { ports } = await child.call<{ ports: number[] }>('open', {
      inputs: streams.length,
      silence,
    } satisfies FanoutOpen);
    const ffmpeg = startReplayStreams(
      clip,
      // The fan-out rewrites every SSRC: the replay's own only have to differ.
      streams.map((s, i) => ({ ...s, ssrc: 1000 + i, port: ports[i] as number })),
      core,
    );
    return new FanoutReplay(child, ffmpeg);
  }

  /** The generator's processes, for its CPU. */
  get pids(): number[] {
    return [this.#child.pid, this.#ffmpeg.pid as number];
  }

  /** A participant starts sending to its producers. */
  add(routes: ReplayRoute[]): Promise<void> {
    return this.#child.call('add', routes);
  }

  /**
   * Stops sending the given routes (`paused`), or starts again, as a browser
   * pauses a simulcast layer: resolves once the replay has applied it.
   */
  pause(routes: ReplayRoute[], paused: boolean): Promise<void> {
    return this.#child.call('pause', { routes, paused } satisfies FanoutPause);
  }

  /** Per input, the packets per second that entered the replay; DTX frames per second left out of the silent one. */
  rates(): Promise<{ inputPps: number[]; dtxLeftOutPps: number }> {
    return this.#child.call('rates');
  }

  /** Nobody is sent to any more (their producers are gone). */
  clear(): Promise<void> {
    return this.#child.call('clear');
  }

  /** Moves the generator to other cores. */
  moveTo(core: Cores): void {
    for (const pid of this.pids) pinToCore(pid, core, REPLAY_NICE);
  }

  async stop(): Promise<void> {
    await stopChild(this.#ffmpeg);
    await this.#child.stop();
  }
}

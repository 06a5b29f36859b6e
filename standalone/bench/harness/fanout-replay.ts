import type { ChildProcess } from 'node:child_process';
import { BenchChild } from './ipc.ts';
import { REPLAY_NICE, type ReplayTarget, startReplay } from './media-clip.ts';
import { replayTarget } from './plain-rtp.ts';
import { type Cores, pinToCore, stopChild } from './proc.ts';

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

  static async start(clip: string, core: Cores): Promise<FanoutReplay> {
    const child = await BenchChild.start(new URL('../forwarding/replay-fanout.ts', import.meta.url), {
      core,
      // It keeps the replay's time, as ffmpeg does (REPLAY_NICE).
      nice: REPLAY_NICE,
    });
    const input = await child.call<{ videoPort: number; audioPort: number }>('open');
    const ffmpeg = startReplay(clip, replayTarget(0, input.videoPort, input.audioPort), core);
    return new FanoutReplay(child, ffmpeg);
  }

  /** The generator's processes, for its CPU. */
  get pids(): number[] {
    return [this.#child.pid, this.#ffmpeg.pid as number];
  }

  /** A participant starts sending to its producers. */
  add(target: ReplayTarget): Promise<void> {
    return this.#child.call('add', target);
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

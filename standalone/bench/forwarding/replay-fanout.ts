import { createSocket, type Socket } from 'node:dgram';
import { serveIpc } from '../harness/ipc.ts';
import type { ReplayTarget } from '../harness/media-clip.ts';

/**
 * Many participants from one replay: one ffmpeg replays the clip into this
 * process, which sends every packet on to every participant's producers with
 * that participant's SSRC. An ffmpeg per participant costs ~2% of a core each,
 * which a 2-core machine cannot spare beside two Workers; this costs one
 * `send()` per packet and participant.
 *
 * Each participant replays at its own delay (spread over the clip's 1 s
 * keyframe interval), so their keyframes do not all arrive in the same
 * instant, as with independent senders.
 */

type Kind = 'video' | 'audio';
interface Packet {
  at: number;
  kind: Kind;
  data: Buffer;
}
interface Participant {
  target: ReplayTarget;
  delayMs: number;
  /** Index (absolute, see `dropped`) of the next packet to send it. */
  next: number;
}

/** Delays spread over one keyframe interval, evenly for any number of participants (golden-ratio steps). */
const SPREAD_MS = 1000;
const delayOf = (index: number) => ((index * 0.6180339887) % 1) * SPREAD_MS;
const TICK_MS = 2;

const history: Packet[] = [];
/** Packets already removed from the front of `history`. */
let dropped = 0;
const participants: Participant[] = [];
const output = createSocket('udp4');
const inputs: Socket[] = [];

async function open(): Promise<{ videoPort: number; audioPort: number }> {
  const ports: number[] = [];
  for (const kind of ['video', 'audio'] as const) {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 1024 * 1024 });
    socket.on('message', (data) => history.push({ at: performance.now(), kind, data }));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    inputs.push(socket);
    ports.push(socket.address().port);
  }
  await new Promise<void>((resolve) => output.bind(0, '127.0.0.1', resolve));
  setInterval(sendDue, TICK_MS);
  return { videoPort: ports[0] as number, audioPort: ports[1] as number };
}

/** A participant joins: from now on it gets the replay, `delayOf(index)` late. */
function add(target: ReplayTarget): void {
  const delayMs = delayOf(participants.length);
  const since = performance.now() - delayMs;
  const first = history.findIndex((p) => p.at > since);
  participants.push({ target, delayMs, next: dropped + (first < 0 ? history.length : first) });
}

function sendDue(): void {
  const now = performance.now();
  for (const participant of participants) {
    for (;;) {
      const packet = history[participant.next - dropped];
      if (!packet || packet.at + participant.delayMs > now) break;
      send(packet, participant.target);
      participant.next++;
    }
  }
  // What every participant has been sent (or, with none, anything older than the longest delay) goes.
  const fresh = history.findIndex((p) => p.at > now - SPREAD_MS);
  const done = participants.length
    ? Math.min(...participants.map((p) => p.next)) - dropped
    : fresh < 0
      ? history.length
      : fresh;
  if (done > 0) {
    history.splice(0, done);
    dropped += done;
  }
}

function send(packet: Packet, target: ReplayTarget): void {
  const data = Buffer.from(packet.data);
  const video = packet.kind === 'video';
  data.writeUInt32BE(video ? target.videoSsrc : target.audioSsrc, 8);
  output.send(data, video ? target.videoPort : target.audioPort, '127.0.0.1');
}

/** Stops sending to everyone (the next ramp starts with new producers). */
function clear(): void {
  participants.length = 0;
}

serveIpc({ open, add, clear });

import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { isDtxFrame, splitFrames } from '../harness/grid-clip.ts';
import { serveIpc } from '../harness/ipc.ts';

/**
 * Many participants from one replay: one ffmpeg replays the clip into this
 * process (one input port per RTP stream of the clip), which sends every
 * packet on to every participant's producers with that participant's SSRC.
 * An ffmpeg per participant costs ~2% of a core each, which a 2-core machine
 * cannot spare beside two Workers; this costs one `send()` per packet and
 * participant.
 *
 * Each participant replays at its own delay (spread over the clip's 1 s
 * keyframe interval), so their keyframes do not all arrive in the same
 * instant, as with independent senders.
 *
 * Optionally one more stream, a silent microphone with Opus DTX: each packet
 * of a clock input (the clip's 20 ms audio) brings the next frame of the
 * silence file, with the clock packet's timestamp. DTX frames (≤ 2 bytes) are
 * not sent, as WebRTC does not send them; the silent stream's sequence numbers
 * count only what is sent, as WebRTC's do.
 *
 * A route can be paused and resumed (`pause`), as a browser stops sending a
 * simulcast layer (dynacast): its packets are left out and its sequence
 * numbers go on from the last one sent, as the browser's do.
 */

interface Packet {
  at: number;
  input: number;
  data: Buffer;
}

/** Where one input stream of the replay goes for a participant: a producer's port, with its SSRC. */
export interface ReplayRoute {
  input: number;
  port: number;
  ssrc: number;
}

/** A route as the fan-out keeps it: whether it is paused, and the packets it left out so far. */
interface Route extends ReplayRoute {
  paused: boolean;
  skipped: number;
}

export interface FanoutPause {
  routes: Pick<ReplayRoute, 'port' | 'ssrc'>[];
  paused: boolean;
}

interface Participant {
  routes: Route[];
  delayMs: number;
  /** Index (absolute, see `dropped`) of the next packet to send it. */
  next: number;
}

export interface FanoutOpen {
  /** RTP streams ffmpeg replays into this process (an input port each). */
  inputs: number;
  /** A silent DTX microphone, as input number `inputs`, paced by input `clock`. */
  silence?: { file: string; clock: number };
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
/** Per input: packets that entered the replay (the silent one: those sent), and DTX frames left out. */
const entered: number[] = [];
let dtxFramesLeftOut = 0;
let openedAt = 0;

async function open(options: FanoutOpen): Promise<{ ports: number[] }> {
  const ports: number[] = [];
  const silence = options.silence ? silentMic(options.silence.file, options.inputs) : undefined;
  entered.push(...new Array<number>(options.inputs + (silence ? 1 : 0)).fill(0));
  for (let input = 0; input < options.inputs; input++) {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 1024 * 1024 });
    const clock = input === options.silence?.clock;
    socket.on('message', (data) => {
      const at = performance.now();
      history.push({ at, input, data });
      entered[input] = (entered[input] ?? 0) + 1;
      if (clock && silence) silence(at, data);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    inputs.push(socket);
    ports.push(socket.address().port);
  }
  await new Promise<void>((resolve) => output.bind(0, '127.0.0.1', resolve));
  openedAt = performance.now();
  setInterval(sendDue, TICK_MS);
  return { ports };
}

/** The silent microphone: for each clock packet, the next frame of the file, unless it is a DTX frame. */
function silentMic(file: string, input: number) {
  const frames = splitFrames(readFileSync(file));
  let next = 0;
  let sequence = 0;
  return (at: number, clock: Buffer) => {
    const frame = frames[next++ % frames.length] as Buffer;
    if (isDtxFrame(frame)) {
      dtxFramesLeftOut++;
      return;
    }
    // The clock packet's fixed header (ffmpeg sends no CSRCs or extensions), marker cleared.
    const header = Buffer.from(clock.subarray(0, 12));
    header[0] = 0x80;
    header[1] = (header[1] as number) & 0x7f;
    header.writeUInt16BE(sequence++ & 0xffff, 2);
    history.push({ at, input, data: Buffer.concat([header, frame]) });
    entered[input] = (entered[input] ?? 0) + 1;
  };
}

/** A participant joins: from now on it gets the replay, `delayOf(index)` late. */
function add(routes: ReplayRoute[]): void {
  const delayMs = delayOf(participants.length);
  const since = performance.now() - delayMs;
  const first = history.findIndex((p) => p.at > since);
  participants.push({
    routes: routes.map((route) => ({ ...route, paused: false, skipped: 0 })),
    delayMs,
    next: dropped + (first < 0 ? history.length : first),
  });
}

/** Stops (or starts again) sending the given routes, e.g. a participant's simulcast layers nobody watches. */
function pause({ routes, paused }: FanoutPause): void {
  const wanted = new Set(routes.map((r) => `${r.port}/${r.ssrc}`));
  let found = 0;
  for (const participant of participants) {
    for (const route of participant.routes) {
      if (!wanted.has(`${route.port}/${route.ssrc}`)) continue;
      route.paused = paused;
      found++;
    }
  }
  if (found !== wanted.size)
    throw new Error(`pause: ${wanted.size - found} of ${wanted.size} routes unknown`);
}

function sendDue(): void {
  const now = performance.now();
  for (const participant of participants) {
    for (;;) {
      const packet = history[participant.next - dropped];
      if (!packet || packet.at + participant.delayMs > now) break;
      for (const route of participant.routes) {
        if (route.input !== packet.input) continue;
        if (route.paused) route.skipped++;
        else send(packet, route);
      }
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

function send(packet: Packet, route: Route): void {
  const data = Buffer.from(packet.data);
  data.writeUInt32BE(route.ssrc, 8);
  if (route.skipped) data.writeUInt16BE((data.readUInt16BE(2) - route.skipped) & 0xffff, 2);
  output.send(data, route.port, '127.0.0.1');
}

/** Stops sending to everyone (the next ramp starts with new producers). */
function clear(): void {
  participants.length = 0;
}

/** Per input, packets per second that entered the replay since it opened; and DTX frames per second left out. */
function rates(): { inputPps: number[]; dtxLeftOutPps: number } {
  const seconds = (performance.now() - openedAt) / 1000;
  return { inputPps: entered.map((n) => n / seconds), dtxLeftOutPps: dtxFramesLeftOut / seconds };
}

serveIpc({ open, add, pause, clear, rates });

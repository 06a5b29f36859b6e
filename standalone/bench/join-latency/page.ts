import { GroupCallClient, type GroupCallSocket } from '@groupcall/client';
import { Device } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import type { JoinMarks, JoinOptions, Request } from './marks.ts';

/**
 * The browser side of the join-latency benchmark, bundled by esbuild and
 * driven by Playwright through `window.bench`. Joins go through the client
 * SDK (GroupCallClient.joinCall), so the benchmark times what apps get; the
 * page only watches: it logs the SDK's acked requests off its socket, the
 * connection state of the RTCPeerConnections mediasoup-client makes, and the
 * SDK's receive stats, each stamped with performance.now().
 */

/** An RTCPeerConnection's remote-facing state, as the page watches it. */
interface WatchedConnection {
  pc: RTCPeerConnection;
  /** When it reached `connected` (ICE + DTLS), if it did. */
  connectedAt?: number;
}

const connections: WatchedConnection[] = [];

/**
 * Every RTCPeerConnection made in this page is watched from creation
 * (mediasoup-client makes one per transport, and throwaway ones to probe
 * capabilities). Installed before any SDK code runs; behaviour is unchanged.
 */
function watchPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  class Watched extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      const watched: WatchedConnection = { pc: this };
      connections.push(watched);
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') watched.connectedAt ??= performance.now();
      });
    }
  }
  window.RTCPeerConnection = Watched;
}
watchPeerConnections();

/** When the page's connection sending (or receiving) media reached `connected`. */
function connectedAt(direction: 'sendonly' | 'recvonly', since: number): number | undefined {
  return connections.find(
    (c) =>
      c.connectedAt !== undefined &&
      c.connectedAt >= since &&
      c.pc.getTransceivers().some((t) => t.direction === direction),
  )?.connectedAt;
}

const fakeMedia = () =>
  navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });

/** A socket made but not connected yet: an app opens it when the user joins (the clock starts there). */
function socketTo(url: string): Socket {
  return io(url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
}

/**
 * Logs every acked request the SDK makes on `socket` (the SDK emits with an
 * ack callback as the last argument): event, payload, ack, when it was
 * sent and how long its answer took.
 */
function logRequests(socket: Socket, log: Request[]): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string, ...args: unknown[]) => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return emit(event, ...args);
    const start = performance.now();
    const entry: Request = { event, start, ms: Number.NaN, payload: args[0], answer: undefined };
    return emit(event, ...args.slice(0, -1), (...answer: unknown[]) => {
      entry.ms = Math.round((performance.now() - start) * 100) / 100;
      entry.answer = answer.at(-1);
      log.push(entry);
      (ack as (...a: unknown[]) => void)(...answer);
    });
  }) as Socket['emit'];
}

/** Resolves when the SDK reports the first remote video frame decoded (5 ms resolution, 10 s at most). */
async function firstVideoFrame(client: GroupCallClient, t0: number): Promise<number> {
  while (performance.now() - t0 < 10_000) {
    const stats = await client.getReceiveStats();
    if (stats.some((s) => s.kind === 'video' && s.framesDecoded > 0)) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no frame decoded within 10 s');
}

/**
 * One join through the SDK until the first remote video frame is decoded.
 * Before the clock, as an app does at startup or preview: local media
 * captured, the client created (it asks the browser's capabilities then).
 * The clock starts where the user presses join: socket connect → join →
 * joinCall.
 */
async function join(options: JoinOptions): Promise<JoinMarks> {
  const tracks = options.publish ? (await fakeMedia()).getTracks() : [];
  const requests: Request[] = [];
  const socket = socketTo(options.url);
  logRequests(socket, requests);
  const created = performance.now();
  const client = new GroupCallClient(socket as GroupCallSocket);
  await client.mediaReady?.();
  const prepared = performance.now() - created;
  const errors: string[] = [];
  client.on('error', ({ message }) => errors.push(message));

  const t0 = performance.now();
  const since = (t: number | undefined) => (t === undefined ? undefined : Math.round((t - t0) * 10) / 10);
  const connected = new Promise<number>((resolve) =>
    socket.once('connect', () => resolve(performance.now())),
  );
  socket.connect();
  client.join(options.userId);
  let video = false;
  const frame = new Promise<number>((resolve, reject) =>
    client.on('trackAdded', ({ kind }) => {
      if (kind !== 'video' || video) return;
      video = true;
      firstVideoFrame(client, t0).then(resolve, reject);
    }),
  );
  // The SDK has added every remote track by the time the join resolves.
  await client.joinCall(options.roomId, { tracks });
  if (!video) throw new Error(`joined without a remote video track (${errors.join('; ')})`);
  const frameAt = await frame;
  const marks = stageMarks(requests, since);
  const result: JoinMarks = {
    ...marks,
    prepared: Math.round(prepared * 10) / 10,
    socketConnected: since(await connected) ?? Number.NaN,
    sendDtlsConnected: tracks.length ? since(connectedAt('sendonly', t0)) : undefined,
    recvDtlsConnected: since(connectedAt('recvonly', t0)) ?? Number.NaN,
    firstFrameDecoded: since(frameAt) ?? Number.NaN,
    requests: requests.map(({ event, start, ms }) => ({ event, start, ms })),
  };
  // Hang up as an app does: a page that is only closed stays in the call for the
  // resume grace (CALL_RESUME_GRACE_SECONDS), and 22 joins would fill it.
  client.leave();
  socket.disconnect();
  return result;
}

/** The stages read off the SDK's requests: when each answer came, or a request went. */
function stageMarks(
  requests: Request[],
  since: (t: number | undefined) => number | undefined,
): Pick<JoinMarks, 'roomJoined' | 'transportsCreated' | 'published' | 'consumerCreated' | 'resumed'> {
  const answered = (q: Request | undefined) => (q ? q.start + q.ms : undefined);
  const lastAnswer = (event: string) =>
    Math.max(...requests.filter((q) => q.event === event).map((q) => q.start + q.ms));
  const videoConsumer = requests.find(
    (q) => q.event === 'consume' && (q.answer as { kind?: string } | undefined)?.kind === 'video',
  );
  const videoConsumerId = (videoConsumer?.answer as { id?: string } | undefined)?.id;
  const resume = requests.find(
    (q) =>
      q.event === 'resumeConsumer' && (q.payload as { consumerId?: string }).consumerId === videoConsumerId,
  );
  const produced = requests.some((q) => q.event === 'produce');
  return {
    roomJoined: since(answered(requests.find((q) => q.event === 'createRoom'))) ?? Number.NaN,
    transportsCreated: since(lastAnswer('createTransport')) ?? Number.NaN,
    published: produced ? since(lastAnswer('produce')) : undefined,
    // The SDK asks to resume as soon as its local consumer exists.
    consumerCreated: since(resume?.start) ?? Number.NaN,
    resumed: since(answered(resume)) ?? Number.NaN,
  };
}

/**
 * The remote participant: sends its fake camera (one VP8 stream) until the
 * page closes. A fixture, not the SDK: a participant in the SDK also
 * receives every joiner, and here that work would land on the machine the
 * joins are timed on, where a real participant's device would not.
 */
async function produceVideo(options: Omit<JoinOptions, 'publish'>): Promise<void> {
  const [track] = (await fakeMedia()).getVideoTracks();
  if (!track) throw new Error('no fake camera');
  const socket = socketTo(options.url);
  socket.connect();
  const request = async (event: string, ...args: unknown[]) => {
    const answer = await socket.timeout(10_000).emitWithAck(event, ...args);
    if (answer?.error) throw new Error(`${event}: ${answer.error}`);
    return answer;
  };
  // Waits for join's ack: the first createRoom of a call not started yet needs the
  // (dev-mode) access token that the server derives while handling join.
  await request('join', options.userId);
  const room = await request('createRoom', { roomId: options.roomId });
  const device = new Device();
  await device.load({ routerRtpCapabilities: room.rtpCapabilities });
  const answer = await request('createTransport', { type: 'send' });
  // mediasoup 3.12 names a candidate's address `ip`; mediasoup-client reads `address`.
  const iceCandidates = answer.iceCandidates.map((c: { ip: string }) => ({ ...c, address: c.ip }));
  const send = device.createSendTransport({ ...answer, iceCandidates });
  send.on('connect', ({ dtlsParameters }, callback, errback) => {
    request('connectTransport', { transportId: send.id, dtlsParameters }).then(() => callback(), errback);
  });
  send.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    request('produce', { transportId: send.id, kind, rtpParameters }).then(callback, errback);
  });
  await send.produce({ track });
}

/** Baseline: Socket.IO request/ack round trips on the same server (a repeated, idempotent `join`). */
async function socketRoundTrips(options: { url: string; userId: string; count: number }): Promise<number[]> {
  const socket = socketTo(options.url);
  socket.connect();
  await socket.emitWithAck('join', options.userId);
  const rtts: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const t = performance.now();
    await socket.emitWithAck('join', options.userId);
    rtts.push(performance.now() - t);
  }
  socket.disconnect();
  return rtts;
}

/**
 * Baseline: the browser alone. Two RTCPeerConnections in this page, the fake
 * camera on one, no server and no signalling latency: offer/answer → ICE +
 * DTLS connected → first frame decoded. What WebRTC itself costs on loopback.
 */
async function barePeerConnection(): Promise<{ dtlsConnected: number; firstFrameDecoded: number }> {
  const [track] = (await fakeMedia()).getVideoTracks();
  if (!track) throw new Error('no fake camera');
  const t0 = performance.now();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  const connected = new Promise<number>((resolve) => {
    b.onconnectionstatechange = () => b.connectionState === 'connected' && resolve(performance.now());
  });
  const received = new Promise<RTCRtpReceiver>((resolve) => {
    b.ontrack = (e) => resolve(e.receiver);
  });
  a.addTrack(track);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription as RTCSessionDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription as RTCSessionDescription);
  const receiver = await received;
  let frame = Number.NaN;
  while (performance.now() - t0 < 10_000) {
    let decoded = 0;
    (await receiver.getStats()).forEach((s: RTCStats) => {
      if (s.type === 'inbound-rtp') decoded += (s as RTCInboundRtpStreamStats).framesDecoded ?? 0;
    });
    if (decoded > 0) {
      frame = performance.now();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const dtls = await connected;
  a.close();
  b.close();
  return { dtlsConnected: dtls - t0, firstFrameDecoded: frame - t0 };
}

Object.assign(window, { bench: { join, produceVideo, socketRoundTrips, barePeerConnection } });

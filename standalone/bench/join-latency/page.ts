import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import type { JoinMarks, JoinOptions } from './marks.ts';

/**
 * The browser side of the join-latency benchmark, bundled by esbuild and
 * driven by Playwright through `window.bench`. It speaks the seed protocol
 * with mediasoup-client directly, in the same order as the client SDK
 * (client/src/client: join without ack → createRoom → Device.load → send
 * and recv transport together → produce each track, and meanwhile
 * getProducers → consume → resumeConsumer), and stamps each stage with
 * performance.now().
 */

type Ack = Record<string, unknown> & { error?: string };

const fakeMedia = () =>
  navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });

function connect(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function requester(socket: Socket, log: JoinMarks['requests']) {
  return async (event: string, ...args: unknown[]): Promise<Ack> => {
    const t = performance.now();
    const answer: Ack = await socket.timeout(10_000).emitWithAck(event, ...args);
    log.push({ event, ms: Math.round((performance.now() - t) * 100) / 100, start: t });
    if (answer?.error) throw new Error(`${event}: ${answer.error}`);
    return answer;
  };
}

/** mediasoup 3.12 names a candidate's address `ip`; mediasoup-client 3.24 reads `address`. */
function transportOptions(answer: Ack): types.TransportOptions {
  const candidates = answer.iceCandidates as Array<{ ip: string }>;
  return {
    id: answer.id as string,
    iceParameters: answer.iceParameters as types.IceParameters,
    iceCandidates: candidates.map((c) => ({ ...c, address: c.ip })) as unknown as types.IceCandidate[],
    dtlsParameters: answer.dtlsParameters as types.DtlsParameters,
  };
}

function whenConnected(transport: types.Transport): Promise<number> {
  return new Promise((resolve, reject) => {
    transport.on('connectionstatechange', (state) => {
      if (state === 'connected') resolve(performance.now());
      if (state === 'failed') reject(new Error(`${transport.direction} transport failed`));
    });
  });
}

/** Polls the receiver's stats until a frame is decoded (5 ms resolution, 10 s at most). */
async function firstFrame(consumer: types.Consumer, t0: number): Promise<number> {
  while (performance.now() - t0 < 10_000) {
    const report = await consumer.getStats();
    let decoded = 0;
    report.forEach((s: RTCStats) => {
      if (s.type === 'inbound-rtp') decoded += (s as RTCInboundRtpStreamStats).framesDecoded ?? 0;
    });
    if (decoded > 0) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no frame decoded within 10 s');
}

/** One join, stage by stage, until the first remote video frame is decoded. */
async function join(options: JoinOptions): Promise<JoinMarks> {
  const tracks = options.publish ? (await fakeMedia()).getTracks() : [];
  const requests: JoinMarks['requests'] = [];
  const t0 = performance.now();
  const since = (t: number) => Math.round((t - t0) * 10) / 10;

  const socket = await connect(options.url);
  const socketConnected = since(performance.now());
  const request = requester(socket, requests);
  socket.emit('join', options.userId); // as the SDK: no ack awaited, the server handles it first
  const room = await request('createRoom', { roomId: options.roomId });
  const roomJoined = since(performance.now());

  const device = new Device();
  await device.load({ routerRtpCapabilities: room.rtpCapabilities as types.RtpCapabilities });
  const deviceLoaded = since(performance.now());
  const [sendAnswer, recvAnswer] = await Promise.all([
    request('createTransport', { type: 'send' }),
    request('createTransport', { type: 'recv' }),
  ]);
  const send = device.createSendTransport(transportOptions(sendAnswer));
  const recv = device.createRecvTransport(transportOptions(recvAnswer));
  const transportsCreated = since(performance.now());
  for (const transport of [send, recv]) {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request('connectTransport', { transportId: transport.id, dtlsParameters }).then(
        () => callback(),
        errback,
      );
    });
  }
  send.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    request('produce', { transportId: send.id, kind, rtpParameters }).then(
      (answer) => callback({ id: answer.id as string }),
      errback,
    );
  });
  const sendConnected = whenConnected(send);
  const recvConnected = whenConnected(recv);

  const publishing = (async () => {
    for (const track of tracks) await send.produce({ track });
    return tracks.length ? since(performance.now()) : undefined;
  })();

  const { producers } = (await request('getProducers')) as { producers: Array<{ id: string; kind: string }> };
  const video = producers.find((p) => p.kind === 'video');
  if (!video) throw new Error('no remote video producer in the room');
  const answer = await request('consume', {
    transportId: recv.id,
    producerId: video.id,
    rtpCapabilities: device.recvRtpCapabilities,
  });
  const consumer = await recv.consume({
    id: answer.id as string,
    producerId: video.id,
    kind: 'video',
    rtpParameters: answer.rtpParameters as types.RtpParameters,
  });
  const consumerCreated = since(performance.now());
  await request('resumeConsumer', { consumerId: consumer.id });
  const resumed = since(performance.now());
  const [recvDtls, frame, published] = await Promise.all([
    recvConnected,
    firstFrame(consumer, t0),
    publishing,
  ]);
  const sendDtls = tracks.length ? since(await sendConnected) : undefined;
  // Hang up as an app does: a page that is only closed stays in the call for the
  // resume grace (CALL_RESUME_GRACE_SECONDS), and 22 joins would fill it.
  socket.emit('leaveRoom');
  socket.disconnect();
  return {
    socketConnected,
    roomJoined,
    deviceLoaded,
    transportsCreated,
    published,
    sendDtlsConnected: sendDtls,
    consumerCreated,
    recvDtlsConnected: since(recvDtls),
    resumed,
    firstFrameDecoded: since(frame),
    requests,
  };
}

/** The remote participant: joins and sends fake-camera video until the page closes. */
async function produceVideo(options: Omit<JoinOptions, 'publish'>): Promise<string> {
  const [track] = (await fakeMedia()).getVideoTracks();
  if (!track) throw new Error('no fake camera');
  const socket = await connect(options.url);
  const request = requester(socket, []);
  // Waits for join's ack: the first createRoom of a call not started yet needs the
  // (dev-mode) access token that the server derives while handling join.
  await request('join', options.userId);
  const room = await request('createRoom', { roomId: options.roomId });
  const device = new Device();
  await device.load({ routerRtpCapabilities: room.rtpCapabilities as types.RtpCapabilities });
  const send = device.createSendTransport(
    transportOptions(await request('createTransport', { type: 'send' })),
  );
  send.on('connect', ({ dtlsParameters }, callback, errback) => {
    request('connectTransport', { transportId: send.id, dtlsParameters }).then(() => callback(), errback);
  });
  send.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    request('produce', { transportId: send.id, kind, rtpParameters }).then(
      (answer) => callback({ id: answer.id as string }),
      errback,
    );
  });
  const producer = await send.produce({ track });
  return producer.id;
}

/** Baseline: Socket.IO request/ack round trips on the same server (a repeated, idempotent `join`). */
async function socketRoundTrips(options: { url: string; userId: string; count: number }): Promise<number[]> {
  const socket = await connect(options.url);
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

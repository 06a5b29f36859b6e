import type { Device, types } from 'mediasoup-client';
import type { PreferredLayers } from '../protocol/layer-events.ts';
import type { MediaKind } from '../protocol/primitives.ts';
import type { MediaSource } from '../protocol/track-events.ts';
import { messageOf } from './errors.ts';
import { IceRestarts } from './ice-restarts.ts';
import type { LocalTrack } from './local-tracks.ts';
import type { DeviceSource } from './room-devices.ts';
import { type LocalLayerStats, outboundRtpLayers } from './send-stats.ts';
import { encodingsFor } from './simulcast.ts';
import type { SocketRequest } from './socket-request.ts';
import { createTransport } from './transports.ts';
import { toDeviceRtpCapabilities, toDeviceRtpParameters, toWireRtpCapabilities } from './wire-media.ts';

export interface OpenMediaSessionOptions {
  request: SocketRequest;
  /** Emits `leaveRoom` (it has no ack). */
  leaveRoom: () => void;
  conversationId: string;
  ticket?: string | undefined;
  /** Loads the membership's Device with the router's capabilities. */
  devices: DeviceSource;
  /** Aborting gives up the opening: whatever was set up is undone. */
  signal: AbortSignal;
  /** TURN/STUN servers from the admission answer, for both transports. */
  iceServers?: readonly RTCIceServer[] | undefined;
  /** Failures with no promise to reject (an ICE restart that failed). */
  onError: (message: string) => void;
}

/**
 * One membership in a call's mediasoup room: after `createRoom`, a Device
 * loaded with the router's capabilities, a send and a receive transport.
 * It produces local tracks and consumes remote producers; `close` leaves the
 * room and closes everything, which also ends every producer and consumer.
 */
export class MediaSession {
  readonly conversationId: string;
  readonly #request: SocketRequest;
  readonly #leaveRoom: () => void;
  readonly #device: Device;
  readonly #send: types.Transport;
  readonly #recv: types.Transport;
  readonly #iceRestarts: IceRestarts;
  readonly #producers = new Map<MediaSource, types.Producer>();
  /** Layers the server asked for before the producer they name was ready here (its ack was in flight). */
  readonly #earlyLayerWants = new Map<string, number>();
  readonly #onError: (message: string) => void;
  /** The credential that lets a new socket take this membership back after the connection dropped. */
  #resumeToken: string | undefined;
  #closed = false;

  private constructor(
    options: OpenMediaSessionOptions,
    device: Device,
    send: types.Transport,
    recv: types.Transport,
    resumeToken: string | undefined,
  ) {
    this.#resumeToken = resumeToken;
    this.conversationId = options.conversationId;
    this.#request = options.request;
    this.#leaveRoom = options.leaveRoom;
    this.#device = device;
    this.#send = send;
    this.#recv = recv;
    this.#iceRestarts = new IceRestarts(options.request, [send, recv], options.onError);
    this.#onError = options.onError;
  }

  /**
   * createRoom → Device.load, createTransport send and recv, all three
   * together: none depends on another (only building the local transports
   * needs the Device), so a join waits for one round trip, not three.
   * Resolves inside the room; on failure or abort it leaves whatever it had joined.
   */
  static async open(options: OpenMediaSessionOptions): Promise<MediaSession> {
    const { request, conversationId, ticket, signal } = options;
    const { rtpCapabilities, resumeToken } = await request(
      'createRoom',
      ticket === undefined ? { roomId: conversationId } : { roomId: conversationId, ticket },
    );
    // From here on the server counts us in the room, so every failure must leave it.
    const transports: types.Transport[] = [];
    try {
      signal.throwIfAborted();
      const loading = options.devices.load(toDeviceRtpCapabilities(rtpCapabilities));
      const [loaded, ...created] = await Promise.allSettled([
        loading,
        createTransport(request, loading, 'send', options.iceServers),
        createTransport(request, loading, 'recv', options.iceServers),
      ]);
      for (const result of created) if (result.status === 'fulfilled') transports.push(result.value);
      for (const result of [loaded, ...created]) if (result.status === 'rejected') throw result.reason;
      signal.throwIfAborted();
      const [send, recv] = transports as [types.Transport, types.Transport];
      return new MediaSession(options, await loading, send, recv, resumeToken);
    } catch (error) {
      for (const transport of transports) transport.close();
      options.leaveRoom();
      throw error;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a live track the device can send as `source` (audio-only and
   * video-only participants send just theirs); undefined if it cannot. The
   * track stays the caller's: it is not stopped when the session closes, so a
   * rejoin can send it again.
   */
  async produce({ source, track }: LocalTrack): Promise<types.Producer | undefined> {
    const kind = mediaKindOf(track);
    if (!kind || track.readyState === 'ended' || !this.#device.canProduce(kind)) return undefined;
    const encodings = encodingsFor(source, kind);
    const producer = await this.#send.produce({
      track,
      stopTracks: false,
      ...(encodings ? { encodings } : {}),
      // Opus DTX: a mic that is open but silent sends a frame every 400 ms instead of 50 packets a
      // second, which saves a phone's uplink and battery and the server's forwarding. Not for
      // screen audio, whose music or quiet passages should not be cut to comfort noise.
      ...(source === 'mic' ? { codecOptions: { opusDtx: true } } : {}),
      appData: { source },
    });
    this.#producers.set(source, producer);
    producer.observer.once('close', () => {
      if (this.#producers.get(source) === producer) this.#producers.delete(source);
    });
    const early = this.#earlyLayerWants.get(producer.id);
    this.#earlyLayerWants.delete(producer.id);
    if (early !== undefined) this.sendLayersUpTo(producer.id, early);
    return producer;
  }

  /**
   * Dynacast: no receiver watches the layers of this simulcast producer above
   * `spatialLayer` (or one does again): pause (resume) them, so the encoder
   * and the uplink carry only what somebody shows.
   */
  sendLayersUpTo(producerId: string, spatialLayer: number): void {
    const producer = [...this.#producers.values()].find((p) => p.id === producerId);
    if (!producer) {
      // The server can speak of a producer before its produce ack reached mediasoup-client.
      if (this.#earlyLayerWants.size >= MAX_EARLY_LAYER_WANTS) this.#earlyLayerWants.clear();
      this.#earlyLayerWants.set(producerId, spatialLayer);
      return;
    }
    if (producer.closed || producer.kind !== 'video') return;
    producer.setMaxSpatialLayer(spatialLayer).catch((error: unknown) => {
      if (!producer.closed) this.#onError(`Could not change the layers sent: ${messageOf(error)}`);
    });
  }

  /** What each local track's encodings have sent so far (one entry per simulcast layer). */
  async sendStats(): Promise<LocalLayerStats[]> {
    const producers = [...this.#producers.entries()].filter(([, p]) => !p.closed);
    const reports = await Promise.allSettled(producers.map(([, producer]) => producer.getStats()));
    return producers.flatMap(([source, producer], index) => {
      const report = reports[index];
      if (report?.status !== 'fulfilled') return [];
      return outboundRtpLayers(report.value, { producerId: producer.id, source, kind: producer.kind });
    });
  }

  producerOf(source: MediaSource): types.Producer | undefined {
    return this.#producers.get(source);
  }

  /**
   * consume → local consumer → resumeConsumer (the server creates consumers
   * paused), at `preferredLayers` from the start when given.
   */
  async consume(producerId: string, preferredLayers?: PreferredLayers): Promise<types.Consumer> {
    const { id, kind, rtpParameters } = await this.#request('consume', {
      transportId: this.#recv.id,
      producerId,
      rtpCapabilities: toWireRtpCapabilities(this.#device.recvRtpCapabilities),
      ...(preferredLayers ? { preferredLayers } : {}),
    });
    const consumer = await this.#recv.consume({
      id,
      producerId,
      kind,
      rtpParameters: toDeviceRtpParameters(rtpParameters),
    });
    try {
      await this.#request('resumeConsumer', { consumerId: consumer.id });
    } catch (error) {
      consumer.close();
      throw error;
    }
    return consumer;
  }

  /**
   * After the signalling connection dropped and came back (on a new socket):
   * takes this membership back (`resume`), so transports, producers and
   * consumers go on. Resolves false when the server no longer holds it (the
   * grace passed, or a server that cannot resume): the caller sets up anew.
   */
  async resume(): Promise<boolean> {
    const token = this.#resumeToken;
    if (token === undefined || this.#closed) return false;
    this.#resumeToken = undefined;
    const answer = await this.#request('resume', { resumeToken: token }).catch(() => undefined);
    if (!answer) return false;
    this.#resumeToken = answer.resumeToken;
    // A dropped connection often means the network changed: the media path is renegotiated
    // now, instead of once ICE notices (restarts tried meanwhile had no server to answer them).
    this.#iceRestarts.restartAll();
    return true;
  }

  /** The device's network changed: renegotiate the media path of both transports. */
  restartIce(): void {
    if (!this.#closed) this.#iceRestarts.restartAll();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#iceRestarts.stop();
    this.#send.close();
    this.#recv.close();
    this.#leaveRoom();
  }
}

/** Bounds what a server can make us remember about producers we do not have. */
const MAX_EARLY_LAYER_WANTS = 8;

function mediaKindOf(track: MediaStreamTrack): MediaKind | undefined {
  return track.kind === 'audio' || track.kind === 'video' ? track.kind : undefined;
}

import type { Device, types } from 'mediasoup-client';
import type { MediaKind } from '../protocol/primitives.ts';
import type { SocketRequest } from './socket-request.ts';
import { createTransport } from './transports.ts';
import { toDeviceRtpCapabilities, toDeviceRtpParameters, toWireRtpCapabilities } from './wire-media.ts';

export interface OpenMediaSessionOptions {
  request: SocketRequest;
  /** Emits `leaveRoom` (it has no ack). */
  leaveRoom: () => void;
  conversationId: string;
  ticket?: string | undefined;
  createDevice: () => Device;
  /** Aborting gives up the opening: whatever was set up is undone. */
  signal: AbortSignal;
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
  #closed = false;

  private constructor(
    options: OpenMediaSessionOptions,
    device: Device,
    send: types.Transport,
    recv: types.Transport,
  ) {
    this.conversationId = options.conversationId;
    this.#request = options.request;
    this.#leaveRoom = options.leaveRoom;
    this.#device = device;
    this.#send = send;
    this.#recv = recv;
  }

  /**
   * createRoom → Device.load → createTransport (send and recv together: they
   * don't depend on each other, so a join waits for one round trip, not two).
   * Resolves inside the room; on failure or abort it leaves whatever it had joined.
   */
  static async open(options: OpenMediaSessionOptions): Promise<MediaSession> {
    const { request, conversationId, ticket, signal } = options;
    const { rtpCapabilities } = await request(
      'createRoom',
      ticket === undefined ? { roomId: conversationId } : { roomId: conversationId, ticket },
    );
    // From here on the server counts us in the room, so every failure must leave it.
    const transports: types.Transport[] = [];
    try {
      signal.throwIfAborted();
      const device = options.createDevice();
      await device.load({ routerRtpCapabilities: toDeviceRtpCapabilities(rtpCapabilities) });
      signal.throwIfAborted();
      const created = await Promise.allSettled([
        createTransport(request, device, 'send'),
        createTransport(request, device, 'recv'),
      ]);
      for (const result of created) if (result.status === 'fulfilled') transports.push(result.value);
      for (const result of created) if (result.status === 'rejected') throw result.reason;
      signal.throwIfAborted();
      const [send, recv] = transports as [types.Transport, types.Transport];
      return new MediaSession(options, device, send, recv);
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
   * Sends each live track the device can send, audio and video alike, so
   * audio-only and video-only participants work. The tracks stay the
   * caller's: they are not stopped when the session closes, so a rejoin can
   * send them again.
   */
  async produce(tracks: readonly MediaStreamTrack[]): Promise<void> {
    for (const track of tracks) {
      const kind = mediaKindOf(track);
      if (!kind || track.readyState === 'ended' || !this.#device.canProduce(kind)) continue;
      await this.#send.produce({ track, stopTracks: false });
    }
  }

  /** consume → local consumer → resumeConsumer (the server creates consumers paused). */
  async consume(producerId: string): Promise<types.Consumer> {
    const { id, kind, rtpParameters } = await this.#request('consume', {
      transportId: this.#recv.id,
      producerId,
      rtpCapabilities: toWireRtpCapabilities(this.#device.recvRtpCapabilities),
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

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#send.close();
    this.#recv.close();
    this.#leaveRoom();
  }
}

function mediaKindOf(track: MediaStreamTrack): MediaKind | undefined {
  return track.kind === 'audio' || track.kind === 'video' ? track.kind : undefined;
}

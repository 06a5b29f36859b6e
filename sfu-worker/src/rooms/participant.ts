import { CallError } from '@groupcall/shared/calls';
import {
  type DtlsParameters,
  ErrorMessage,
  type IceParameters,
  type MediaKind,
  type MediaSource,
  type ParticipantInfo,
  type RtpCapabilities,
  type RtpParameters,
  type TransportDirection,
} from '@groupcall/shared/protocol';
import type { types } from 'mediasoup';
import type { SfuConfig } from '../config.ts';
import type { CallMedia } from '../media/media-worker-pool.ts';
import { LayerDemand } from './layer-demand.ts';
import { ProducerSources } from './producer-sources.ts';

export interface ParticipantHooks {
  /** The server closed one of this participant's consumers (its producer went away). */
  consumerClosed(consumer: types.Consumer): void;
  /** mediasoup switched the layers it forwards on one of this participant's consumers (none: undefined). */
  consumerLayersChanged(consumer: types.Consumer, layers: types.ConsumerLayers | undefined): void;
  /** The highest layer of one of this participant's simulcast producers that any receiver wants changed. */
  producerLayersWanted(producer: types.Producer, spatialLayer: number): void;
}

type Counted = 'transports' | 'producers' | 'consumers';

export type TransportData = {
  direction: TransportDirection;
};

/**
 * One device in one call: its WebRTC transports, producers and consumers,
 * within per-device limits. Closing it closes its transports, and mediasoup
 * closes their producers and consumers with them.
 */
export class Participant {
  readonly socketId: string;
  readonly info: ParticipantInfo;
  readonly #media: CallMedia;
  readonly #limits: SfuConfig['limits'];
  #hooks: ParticipantHooks;
  readonly #transports = new Map<string, types.WebRtcTransport<TransportData>>();
  readonly #producers = new Map<string, types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  /** Producers consumed here, counted from the request on: one consumer per producer per device. */
  readonly #consumedProducers = new Set<string>();
  /** Requests under way, counted against the limits before they await mediasoup. */
  readonly #pending: Record<Counted, number> = { transports: 0, producers: 0, consumers: 0 };
  readonly #sources = new ProducerSources();
  /** Which layers of each simulcast producer anybody watches (dynacast). */
  readonly #layerDemands = new Map<string, LayerDemand>();
  readonly #unusedLayerGraceMs: number;
  #closed = false;

  constructor(options: {
    socketId: string;
    info: ParticipantInfo;
    media: CallMedia;
    limits: SfuConfig['limits'];
    hooks: ParticipantHooks;
    /** How long a simulcast layer nobody watches is still asked of this device. */
    unusedLayerGraceMs: number;
  }) {
    this.socketId = options.socketId;
    this.info = options.info;
    this.#media = options.media;
    this.#limits = options.limits;
    this.#hooks = options.hooks;
    this.#unusedLayerGraceMs = options.unusedLayerGraceMs;
  }

  /** A new connection of the device took this participant over (resume): tell that one from now on. */
  attach(hooks: ParticipantHooks): void {
    this.#hooks = hooks;
  }

  get userId(): string {
    return this.info.userId;
  }

  /** The Router (and its Worker's WebRtcServer) this device's transports are on. */
  get media(): CallMedia {
    return this.#media;
  }

  get producers(): types.Producer[] {
    return [...this.#producers.values()];
  }

  get transports(): types.WebRtcTransport<TransportData>[] {
    return [...this.#transports.values()];
  }

  get consumers(): types.Consumer[] {
    return [...this.#consumers.values()];
  }

  get consumerCount(): number {
    return this.#consumers.size;
  }

  async createTransport(direction: TransportDirection): Promise<types.WebRtcTransport> {
    const { maxTransportsPerSocket } = this.#limits;
    return this.#reserved('transports', maxTransportsPerSocket, ErrorMessage.tooManyTransports, async () => {
      const transport = await this.#media.router.createWebRtcTransport<TransportData>({
        webRtcServer: this.#media.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
        appData: { direction },
      });
      if (this.#closed) {
        transport.close();
        throw new CallError('not-found', ErrorMessage.participantNotFound);
      }
      this.#transports.set(transport.id, transport);
      transport.observer.once('close', () => this.#transports.delete(transport.id));
      return transport;
    });
  }

  /** Both directions are connected: the original never connected receive transports, so no media arrived. */
  async connectTransport(transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    await this.#transport(transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
  }

  /**
   * New ICE credentials for one of this device's transports (its network
   * changed): the client restarts ICE with them and mediasoup accepts the
   * new path, while DTLS, producers and consumers stay as they are.
   */
  async restartIce(transportId: string): Promise<IceParameters> {
    return (await this.#transport(transportId).restartIce()) as IceParameters;
  }

  async produce(
    transportId: string,
    kind: MediaKind,
    rtpParameters: RtpParameters,
    source?: MediaSource,
  ): Promise<types.Producer> {
    const transport = this.#transport(transportId);
    if (transport.appData.direction !== 'send')
      throw new CallError('invalid-request', ErrorMessage.wrongTransportDirection);
    const { maxProducersPerSocket } = this.#limits;
    return this.#reserved('producers', maxProducersPerSocket, ErrorMessage.tooManyProducers, async () => {
      const release = this.#sources.claim(source, kind);
      const producer = await transport
        .produce({ kind, rtpParameters: rtpParameters as types.RtpParameters, appData: { source } })
        .catch((error: unknown) => {
          release();
          throw error;
        });
      this.#producers.set(producer.id, producer);
      this.#watchLayerDemand(producer);
      producer.observer.once('close', () => {
        this.#producers.delete(producer.id);
        this.#layerDemands.delete(producer.id);
        release();
      });
      return producer;
    });
  }

  /**
   * Consumers start paused: the client resumes once its track is wired up, so
   * no keyframe is lost. A device consumes each producer once: a second
   * consumer would only make the pod forward the same stream to it again.
   */
  async consume(
    transportId: string,
    producer: types.Producer,
    rtpCapabilities: RtpCapabilities,
    preferredLayers?: types.ConsumerLayers,
  ): Promise<types.Consumer> {
    if (
      !this.#media.router.canConsume({
        producerId: producer.id,
        rtpCapabilities: rtpCapabilities as types.RtpCapabilities,
      })
    ) {
      throw new CallError('invalid-request', ErrorMessage.rtpCapabilitiesMismatch);
    }
    const transport = this.#transports.get(transportId);
    if (transport?.appData.direction !== 'recv') {
      throw new CallError('not-found', ErrorMessage.receiveTransportNotFound);
    }
    if (this.#consumedProducers.has(producer.id))
      throw new CallError('conflict', ErrorMessage.alreadyConsuming);
    const { maxConsumersPerSocket } = this.#limits;
    return this.#reserved('consumers', maxConsumersPerSocket, ErrorMessage.tooManyConsumers, async () => {
      this.#consumedProducers.add(producer.id);
      let consumer: types.Consumer;
      try {
        consumer = await transport.consume({
          producerId: producer.id,
          rtpCapabilities: rtpCapabilities as types.RtpCapabilities,
          paused: true,
          // mediasoup clamps them to the stream's layers; a single-layer stream ignores them.
          ...(preferredLayers ? { preferredLayers } : {}),
        });
      } catch (error) {
        this.#consumedProducers.delete(producer.id);
        throw error;
      }
      this.#consumers.set(consumer.id, consumer);
      consumer.observer.once('close', () => {
        this.#consumers.delete(consumer.id);
        this.#consumedProducers.delete(producer.id);
      });
      consumer.on('layerschange', (layers) => this.#hooks.consumerLayersChanged(consumer, layers));
      consumer.once('producerclose', () => {
        this.#consumers.delete(consumer.id);
        this.#hooks.consumerClosed(consumer);
      });
      return consumer;
    });
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    await this.withOwnConsumer(consumerId, async (consumer) => {
      if (consumer.paused) await consumer.resume();
    });
  }

  /**
   * Runs a request on one of this device's consumers. The consumer can close
   * while the request is in the Worker (its sender left a moment earlier):
   * mediasoup then answers with its own channel error, and the client hears
   * "consumer not found", as it would have a moment later.
   */
  async withOwnConsumer<T>(
    consumerId: string,
    request: (consumer: types.Consumer) => Promise<T>,
  ): Promise<T> {
    const consumer = this.ownConsumer(consumerId);
    try {
      return await request(consumer);
    } catch (error) {
      // mediasoup settles the request at once but delivers the Worker's earlier
      // notifications ("producerclose") on setImmediate: let them land first.
      await new Promise((resolve) => setImmediate(resolve));
      if (consumer.closed) throw new CallError('not-found', ErrorMessage.consumerNotFound);
      throw error;
    }
  }

  /**
   * One of this device's own consumers. Another device's consumer is "not
   * found" here like an unknown one: consumers are private to their receiver.
   */
  ownConsumer(consumerId: string): types.Consumer {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new CallError('not-found', ErrorMessage.consumerNotFound);
    return consumer;
  }

  /** The consumer, if it is this device's (for inspection). */
  ownsConsumer(consumerId: string): types.Consumer | undefined {
    return this.#consumers.get(consumerId);
  }

  ownsProducer(producerId: string): types.Producer | undefined {
    return this.#producers.get(producerId);
  }

  /** Who wants which layers of one of this device's simulcast producers; undefined for any other. */
  layerDemandOf(producerId: string): LayerDemand | undefined {
    return this.#layerDemands.get(producerId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
    this.#consumedProducers.clear();
    for (const demand of this.#layerDemands.values()) demand.close();
    this.#layerDemands.clear();
  }

  #watchLayerDemand(producer: types.Producer): void {
    const demand = LayerDemand.of(producer, {
      graceMs: this.#unusedLayerGraceMs,
      // Read at the time: a resumed connection replaces the hooks.
      onChange: (spatialLayer) => this.#hooks.producerLayersWanted(producer, spatialLayer),
    });
    if (demand) this.#layerDemands.set(producer.id, demand);
  }

  /**
   * Runs `create` within a per-device limit that holds for concurrent
   * requests too: the slot is taken before the await, not after it.
   */
  async #reserved<T>(kind: Counted, limit: number, refusal: string, create: () => Promise<T>): Promise<T> {
    const existing = { transports: this.#transports, producers: this.#producers, consumers: this.#consumers }[
      kind
    ];
    if (existing.size + this.#pending[kind] >= limit) throw new CallError('conflict', refusal);
    this.#pending[kind]++;
    try {
      return await create();
    } finally {
      this.#pending[kind]--;
    }
  }

  #transport(transportId: string): types.WebRtcTransport<TransportData> {
    const transport = this.#transports.get(transportId);
    if (!transport) throw new CallError('not-found', ErrorMessage.transportNotFound);
    return transport;
  }
}

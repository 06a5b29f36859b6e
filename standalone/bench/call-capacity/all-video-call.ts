import { ProducerPipes } from '@groupcall/sfu-worker/composition';
import type { types } from 'mediasoup';
import type { LoopbackListen } from '../harness/bench-mediasoup.ts';
import type { FanoutReplay } from '../harness/fanout-replay.ts';
import type { ForwardingRig, RigRouter } from '../harness/forwarding-rig.ts';
import { type ProducerPair, producerPair } from '../harness/plain-rtp.ts';
import { waitUntil } from '../harness/proc.ts';
import { type Deliverable, workerCounts } from '../harness/worker-counters.ts';
import { ReplayDynacast } from './dynacast.ts';
import { receiveTransport } from './receive-transport.ts';

/** One Router of the call, on its own Worker, and what lives there. */
export interface CallLeg extends RigRouter {
  /** The producers of the participants placed here (their replay arrives here). */
  producers: types.Producer[];
  /** The Worker's UDP ports receiving those replays. */
  ports: number[];
  /** The consumers of the subscribers placed here (every other participant's audio and video). */
  consumers: types.Consumer[];
  /** What this Router sends to the call's other Routers (pipeToRouter's consumers). */
  pipeConsumers: types.Consumer[];
  /** Other Routers' producers piped here (pipeToRouter's producers), by id (the original's). */
  pipeProducers: Map<string, types.Producer>;
}

interface Member {
  leg: CallLeg;
  video: types.Producer;
  audio: types.Producer;
  /** The one transport everything this participant receives comes through, as the SDK's receive transport. */
  receive: types.PlainTransport;
}

/**
 * What a subscriber's transport starts estimating it may send, bit/s: a
 * downlink that carries all it receives, as a browser's transport-cc feedback
 * would tell the Worker (receive-transport.ts says why it matters).
 */
export const RECEIVE_BITRATE = 100_000_000;

/** What the participants of a call send, and what each subscriber takes of it. */
export interface CallWorkload {
  produce(router: types.Router, listen: LoopbackListen, participant: number): Promise<ProducerPair>;
  /** Consume options for a video producer besides its id (e.g. the simulcast layer a tile asks for). */
  videoConsume?: Pick<types.ConsumerOptions, 'preferredLayers'>;
  /** Which received RTP each consumer should deliver (default: all of it). */
  deliverable?: Deliverable;
  /** Senders pause the simulcast layers nobody watches, as the product tells them to (dynacast.ts). */
  dynacast?: boolean;
}

/** The worst case: one full-rate VP8 stream and opus at 50 pkt/s each, everyone receiving all of it. */
export const ALL_VIDEO: CallWorkload = {
  produce: (router, listen, participant) =>
    producerPair(router, listen, participant, { videoInputs: [0], audioInput: 1 }),
};

/** A Worker's packet counters at one moment. */
export interface LegCounts {
  received: number;
  /** What the consumers should deliver of `received`, per consumer of each producer. */
  deliverable: number;
  sent: number;
  piped: number;
  at: number;
}

/**
 * An all-video call without browsers: every participant sends the replayed clip
 * (as its workload says: ALL_VIDEO, or call-capacity/grid-call.ts) and receives
 * every other participant through one SRTP PlainTransport of its own to the
 * UDP sink (receive-transport.ts), carrying its audio and video consumer of
 * every other participant, as the SDK's one receive transport. Participants are
 * placed on the call's Routers in turn; a participant's producers are piped to
 * every other Router of the call with the product's ProducerPipes
 * (`router.pipeToRouter`), and each subscriber consumes on its own Router.
 */
export class AllVideoCall {
  readonly legs: CallLeg[];
  readonly #members: Member[] = [];
  readonly #rig: ForwardingRig;
  readonly #replay: FanoutReplay;
  readonly #pipes = new ProducerPipes();
  readonly #dynacast: ReplayDynacast | undefined;
  #layerChanges = 0;

  readonly #workload: CallWorkload;

  constructor(
    rig: ForwardingRig,
    replay: FanoutReplay,
    routers: RigRouter[],
    workload: CallWorkload = ALL_VIDEO,
  ) {
    this.#rig = rig;
    this.#replay = replay;
    this.#workload = workload;
    this.#dynacast = workload.dynacast ? new ReplayDynacast(replay) : undefined;
    this.legs = routers.map((r) => {
      const leg: CallLeg = {
        ...r,
        producers: [],
        ports: [],
        consumers: [],
        pipeConsumers: [],
        pipeProducers: new Map(),
      };
      // The pipe consumers ProducerPipes makes on this Router, to count what crosses between Workers,
      // and its pipe producers, to know when their layers arrive.
      r.router.observer.on('newtransport', (transport) => {
        transport.observer.on('newconsumer', (consumer) => {
          if (consumer.type === 'pipe') leg.pipeConsumers.push(consumer);
        });
        // The call's own producers are not wanted here, but do no harm: other Routers' ids are unique.
        transport.observer.on('newproducer', (producer) => leg.pipeProducers.set(producer.id, producer));
      });
      return leg;
    });
  }

  get size(): number {
    return this.#members.length;
  }

  /** Times a video consumer changed the layers it forwards, since the call began. */
  get layerChanges(): number {
    return this.#layerChanges;
  }

  get consumers(): number {
    return this.legs.reduce((sum, leg) => sum + leg.consumers.length, 0);
  }

  get producers(): types.Producer[] {
    return this.legs.flatMap((leg) => leg.producers);
  }

  /** Participant n joins: sends, is received by everyone there, receives everyone there. */
  async join(): Promise<void> {
    const index = this.#members.length;
    const leg = this.legs[index % this.legs.length] as CallLeg;
    const media = await this.#workload.produce(leg.router, this.#rig.listen, index);
    leg.producers.push(media.video, media.audio);
    leg.ports.push(...media.ports);
    await this.#replay.add(media.routes);
    this.#dynacast?.add(media.video, media.videoRoutes);
    const sinkPorts = this.#rig.sink.ports;
    const receive = await receiveTransport(
      leg.router,
      this.#rig.listen,
      sinkPorts[index % sinkPorts.length] as number,
      RECEIVE_BITRATE,
    );
    const joining: Member = { leg, video: media.video, audio: media.audio, receive };
    const others = this.#members.slice();
    this.#members.push(joining);
    const tasks = others.flatMap((other) => [
      () => this.#subscribe(other, joining),
      () => this.#subscribe(joining, other),
    ]);
    for (let i = 0; i < tasks.length; i += 20) await Promise.all(tasks.slice(i, i + 20).map((t) => t()));
  }

  /**
   * With dynacast: resolves once every sender was told the layer its
   * subscribers ask for and the replay sends only up to it (at most the
   * product's grace after the last join). Without: at once.
   */
  async dynacastSettled(): Promise<void> {
    await this.#dynacast?.settled(this.#workload.videoConsume?.preferredLayers?.spatialLayer);
  }

  /** The call ends: dynacast changes nothing in the replay any more. */
  async close(): Promise<void> {
    await this.#dynacast?.close();
  }

  /** The lowest outgoing bitrate a subscriber's transport estimates it has, bit/s (what its video consumers share). */
  async lowestReceiveEstimate(): Promise<number> {
    const stats = await Promise.all(this.#members.map((m) => m.receive.getStats()));
    return Math.min(...stats.flat().map((s) => s.availableOutgoingBitrate ?? 0));
  }

  /** Each Worker's counters (its producers' RTP in, its consumers' RTP out, RTP into the pipes). */
  async counts(): Promise<LegCounts[]> {
    const counts: LegCounts[] = [];
    for (const leg of this.legs) {
      const worker = await workerCounts(leg.producers, leg.consumers, this.#workload.deliverable);
      const piped = await workerCounts([], leg.pipeConsumers);
      counts.push({
        received: worker.received,
        deliverable: worker.deliverable,
        sent: worker.sent,
        piped: piped.sent,
        at: worker.at,
      });
    }
    return counts;
  }

  /** What `subscriber` receives from `sender`: the sender's audio and video, on the subscriber's Router and transport. */
  async #subscribe(subscriber: Member, sender: Member): Promise<void> {
    const { leg, receive: transport } = subscriber;
    for (const producer of [sender.video, sender.audio]) {
      await this.#pipes.bring(producer, sender.leg.router, leg.router);
      const options = producer.kind === 'video' ? this.#workload.videoConsume : undefined;
      await this.#layersArrived(
        sender.leg === leg ? producer : leg.pipeProducers.get(producer.id),
        options?.preferredLayers?.spatialLayer,
      );
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities: leg.router.rtpCapabilities,
        ...options,
      });
      consumer.on('layerschange', () => this.#layerChanges++);
      leg.consumers.push(consumer);
      // Consumers on another Router consume the pipe producer, which has the original's id.
      this.#dynacast?.track(producer.id, consumer);
    }
  }

  /**
   * Waits until a simulcast producer (or its pipe producer here) receives
   * every layer up to `upTo` (default: all), the layers a consumer asking for
   * `upTo` may forward. A SimulcastConsumer needs the senders' RTCP sender
   * reports to switch between layers, which the replay does not send:
   * consumed before the layer it should forward arrived, it would start on
   * another layer and stay there. Browsers send sender reports; this only
   * spares the replay. Not every layer: with dynacast, a producer piped after
   * its sender paused the layers nobody watches never receives them.
   */
  async #layersArrived(producer: types.Producer | undefined, upTo?: number): Promise<void> {
    const encodings = producer?.rtpParameters.encodings ?? [];
    if (!producer || encodings.length < 2) return;
    const ssrcs = encodings.slice(0, (upTo ?? encodings.length) + 1).map((e) => e.ssrc);
    await waitUntil(
      async () => {
        const arrived = new Set(
          (await producer.getStats()).filter((s) => (s.packetCount ?? 0) > 0).map((s) => s.ssrc),
        );
        return ssrcs.every((ssrc) => ssrc !== undefined && arrived.has(ssrc));
      },
      10_000,
      `simulcast layers 0–${ssrcs.length - 1} of producer ${producer.id} to arrive`,
      20,
    );
  }
}

import type { types } from 'mediasoup';
import { spatialLayerForTileHeight } from '../../../client/src/client/simulcast.ts';
import { FanoutReplay, type ReplayStream } from '../harness/fanout-replay.ts';
import { ensureGridClip, gridClipInfo, gridLayers } from '../harness/grid-clip.ts';
import { AUDIO_PT, producerPair, VIDEO_PT } from '../harness/plain-rtp.ts';
import type { Cores } from '../harness/proc.ts';
import { fmt } from '../harness/stats.ts';
import type { CallWorkload } from './all-video-call.ts';
import { DYNACAST_GRACE_MS } from './dynacast.ts';

/**
 * The grid call as the SDK runs it: every participant sends its camera as
 * the SDK's three simulcast layers and its microphone; every subscriber shows
 * everyone as a thumbnail, so it asks for the layer the SDK picks for that
 * tile (spatialLayerForTileHeight), and hears everyone. A few participants
 * talk; the others' mics are open and silent, sent with Opus DTX as the SDK
 * does. With dynacast (dynacast.ts), as the product runs it, every sender
 * then sends only the layer its subscribers ask for.
 */

/** A thumbnail in a grid of 20–40 people, in device pixels. */
export const THUMBNAIL_HEIGHT = 180;
export const THUMBNAIL_LAYER = spatialLayerForTileHeight(THUMBNAIL_HEIGHT);

/** Replay inputs: the layers (lowest first), then the talking mic, then the silent DTX mic. */
const TALKING_INPUT = gridLayers.length;
const SILENT_INPUT = gridLayers.length + 1;
const GRID_STREAMS: readonly ReplayStream[] = [
  ...gridLayers.map((_, i) => ({ map: `0:v:${i}`, payloadType: VIDEO_PT })),
  { map: '0:a:0', payloadType: AUDIO_PT },
];

/** One replay of the grid clip, the silent mic paced by the talking one's 20 ms packets. */
export function startGridReplay(core: Cores): Promise<FanoutReplay> {
  const clip = ensureGridClip();
  return FanoutReplay.start(clip.file, core, GRID_STREAMS, { file: clip.silence, clock: TALKING_INPUT });
}

/** The grid call's workload: participants 0 … talkers − 1 talk, the rest are silent; `dynacast` as the product. */
export function gridWorkload(talkers: number, dynacast: boolean): CallWorkload {
  return {
    dynacast,
    produce: (router, listen, participant) =>
      producerPair(router, listen, participant, {
        videoInputs: gridLayers.map((_, layer) => layer),
        audioInput: participant < talkers ? TALKING_INPUT : SILENT_INPUT,
      }),
    videoConsume: { preferredLayers: { spatialLayer: THUMBNAIL_LAYER } },
    // Each video consumer should deliver its sender's thumbnail layer; audio, all that was sent.
    deliverable: (producer, stat) =>
      producer.kind === 'audio' || stat.ssrc === producer.rtpParameters.encodings?.[THUMBNAIL_LAYER]?.ssrc,
  };
}

/** Video consumers not forwarding the thumbnail layer (none, or another): a silent failure would fake capacity. */
export function offLayer(consumers: readonly types.Consumer[]): number {
  return consumers.filter((c) => c.kind === 'video' && c.currentLayers?.spatialLayer !== THUMBNAIL_LAYER)
    .length;
}

/** What the replay measured of its inputs (what one sender sends of each): packets per second. */
export interface GridRates {
  /** Each simulcast layer, lowest first. */
  layerPps: number[];
  talkingPps: number;
  silentPps: number;
  dtxLeftOutPps: number;
}

/** The replay's input rates: each layer's, the talking and the silent mic's. */
export async function gridRates(replay: FanoutReplay): Promise<GridRates> {
  const { inputPps, dtxLeftOutPps } = await replay.rates();
  return {
    layerPps: gridLayers.map((_, layer) => inputPps[layer] ?? 0),
    talkingPps: inputPps[TALKING_INPUT] ?? 0,
    silentPps: inputPps[SILENT_INPUT] ?? 0,
    dtxLeftOutPps,
  };
}

/**
 * What one sender of a call of `participants` with `talkers` talking sends on
 * average, pkt/s, up to simulcast layer `topLayer`: by the replay's input
 * rates (default: every layer), not measured at the Worker.
 */
export function senderPps(
  rates: GridRates,
  talkers: number,
  participants: number,
  topLayer = rates.layerPps.length - 1,
): number {
  const video = rates.layerPps.slice(0, topLayer + 1).reduce((sum, pps) => sum + pps, 0);
  const talking = Math.min(talkers, participants);
  const mic = (talking * rates.talkingPps + (participants - talking) * rates.silentPps) / participants;
  return video + mic;
}

/** The grid call's setup, for the report. */
export function gridSetup(talkers: number, mics: GridRates, dynacast: boolean, participants: number): string {
  const layer = gridLayers[THUMBNAIL_LAYER];
  const withDynacast = fmt(senderPps(mics, talkers, participants, THUMBNAIL_LAYER));
  const without = fmt(senderPps(mics, talkers, participants));
  const layerRates = `layers ${mics.layerPps.map((pps) => fmt(pps)).join(' / ')} pkt/s`;
  return (
    `**The grid call as the SDK runs it**: every participant sends its camera as the SDK's ` +
    `CAMERA_SIMULCAST_ENCODINGS (${gridClipInfo.video}) into one simulcast PlainTransport producer (one SSRC per ` +
    `layer) and its mic into another; every subscriber shows everyone as a ${THUMBNAIL_HEIGHT} px thumbnail, so each ` +
    `video consumer asks for spatial layer ${THUMBNAIL_LAYER} (the SDK's spatialLayerForTileHeight(${THUMBNAIL_HEIGHT}): ` +
    `${layer?.width}x${layer?.height}), and hears everyone. ${talkers} participants talk (${gridClipInfo.talking}, ` +
    `${fmt(mics.talkingPps, 1)} pkt/s measured at the replay); the others' mics are open and silent, sent with Opus DTX ` +
    `as the SDK does (${gridClipInfo.silent}): the replay leaves out the ≤ 2-byte DTX frames as WebRTC does, ` +
    `${fmt(mics.silentPps, 1)} pkt/s sent (${fmt(mics.dtxLeftOutPps, 1)} frames/s left out). The replay's VP8 ` +
    'carries no temporal-layer ids (ffmpeg packetizes one temporal layer, where the SDK sends L1T3), so a consumer ' +
    "forwards every frame of its layer, as at the SDK's default (highest) temporal layer. *Should deliver* counts, " +
    `per video consumer, the layer-${THUMBNAIL_LAYER} RTP its sender's producer received and, per audio consumer, ` +
    'all the RTP its mic sent: a consumer that forwards nothing (or another layer) counts as loss. Same placement, ' +
    'pipes, sink, limits and steps as the worst case.\n\n' +
    (dynacast
      ? `**Dynacast**, as the product runs it: the server tells each sender the highest layer any subscriber ` +
        `watches (sfu-worker's LayerDemand, fed every consumer on both Workers; lowered after ` +
        `SIMULCAST_UNUSED_LAYER_GRACE_SECONDS, ${DYNACAST_GRACE_MS / 1000} s by default), and the SDK pauses the ` +
        `encodings above it (producer.setMaxSpatialLayer), as the replay here stops that participant's RTP of ` +
        `those layers; with every tile a thumbnail a sender sends layer ${THUMBNAIL_LAYER} and its mic, ` +
        `${withDynacast} pkt/s on average, instead of all ${gridLayers.length} layers and its mic, ${without} pkt/s ` +
        `(by the replay's rates at ${participants} participants: ${layerRates}). Each size is measured once every ` +
        `sender's demand has announced layer ${THUMBNAIL_LAYER}; \`--no-dynacast\` runs the grid call with every ` +
        'layer sent, as before.'
      : `**Without dynacast** (\`--no-dynacast\`): every sender sends all ${gridLayers.length} layers and its mic ` +
        `whatever its subscribers watch, ${without} pkt/s on average (by the replay's rates at ${participants} ` +
        `participants: ${layerRates}); with dynacast, as the product runs it, it would send layer ` +
        `${THUMBNAIL_LAYER} and its mic, ${withDynacast} pkt/s.`)
  );
}

import type { types } from 'mediasoup-client';
import type { MediaSource } from '../protocol/track-events.ts';

/**
 * How the SDK sends a camera: three VP8 simulcast layers, a quarter, half
 * and full resolution (lowest first, as mediasoup numbers spatial layers),
 * each with three temporal layers. A receiver on a small tile or a short
 * downlink then gets a smaller stream from the server instead of everyone's
 * full picture or nothing. Browsers drop layers a small capture cannot
 * fill (Chromium sends three from about 960×540 up).
 */
export const CAMERA_SIMULCAST_ENCODINGS: readonly types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000, scalabilityMode: 'L1T3' },
];

/** The camera height the SDK expects senders to capture (720p); receivers size their layers from it. */
export const TYPICAL_CAMERA_HEIGHT = 720;

/** Encodings for a track of `source`: simulcast for the camera, one layer for the rest (a screen stays sharp). */
export function encodingsFor(source: MediaSource, kind: string): types.RtpEncodingParameters[] | undefined {
  return source === 'camera' && kind === 'video'
    ? CAMERA_SIMULCAST_ENCODINGS.map((e) => ({ ...e }))
    : undefined;
}

/**
 * The lowest spatial layer whose picture is at least as tall as a tile of
 * `tileHeight` device pixels (CSS height × devicePixelRatio), for a camera
 * captured `sourceHeight` tall: a 120 px thumbnail takes layer 0, a 360 px
 * tile layer 1, a full-screen speaker layer 2.
 */
export function spatialLayerForTileHeight(tileHeight: number, sourceHeight = TYPICAL_CAMERA_HEIGHT): number {
  const layers = CAMERA_SIMULCAST_ENCODINGS;
  const fitting = layers.findIndex(
    (layer) => sourceHeight / (layer.scaleResolutionDownBy ?? 1) >= tileHeight,
  );
  return fitting === -1 ? layers.length - 1 : fitting;
}

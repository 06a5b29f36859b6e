import { describe, expect, it } from 'vitest';
import { CAMERA_SIMULCAST_ENCODINGS, spatialLayerForTileHeight } from '../../src/client/simulcast.ts';

describe('spatialLayerForTileHeight', () => {
  it('picks the lowest layer at least as tall as the tile, for a 720p camera', () => {
    expect(spatialLayerForTileHeight(90)).toBe(0);
    expect(spatialLayerForTileHeight(180)).toBe(0);
    expect(spatialLayerForTileHeight(181)).toBe(1);
    expect(spatialLayerForTileHeight(360)).toBe(1);
    expect(spatialLayerForTileHeight(600)).toBe(2);
    // Bigger than the camera itself: the top layer is the best there is.
    expect(spatialLayerForTileHeight(2160)).toBe(2);
  });

  it('follows the camera height it is given', () => {
    expect(spatialLayerForTileHeight(240, 1080)).toBe(0);
    expect(spatialLayerForTileHeight(240, 480)).toBe(1);
  });

  it('sends three layers, lowest first, each a third of the next bitrate or less', () => {
    const bitrates = CAMERA_SIMULCAST_ENCODINGS.map((e) => e.maxBitrate ?? 0);
    expect(bitrates).toHaveLength(3);
    expect(bitrates[0]).toBeLessThanOrEqual((bitrates[1] ?? 0) / 3);
    expect(bitrates[1]).toBeLessThanOrEqual((bitrates[2] ?? 0) / 3);
  });
});

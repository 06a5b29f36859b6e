import type { MediaKind } from '../protocol/primitives.ts';
import type { MediaSource } from '../protocol/track-events.ts';

/**
 * What one encoding of a local track has sent so far: one entry per
 * simulcast layer of a camera, one for any other track. `active` false: the
 * layer is paused because no receiver watches it (dynacast).
 */
export interface LocalLayerStats {
  producerId: string;
  source: MediaSource;
  kind: MediaKind;
  /** The simulcast layer's RTP stream id (`r0` lowest); absent for a single-layer track. */
  rid: string | undefined;
  active: boolean;
  bytesSent: number;
  packetsSent: number;
  /** Always 0 for audio. */
  framesEncoded: number;
  /** Size of the last encoded frame (0 for audio and before the first frame). */
  frameWidth: number;
  frameHeight: number;
}

/** The outbound-rtp entries of a sender's stats report, lowest layer first. */
export function outboundRtpLayers(
  report: RTCStatsReport,
  track: Pick<LocalLayerStats, 'producerId' | 'source' | 'kind'>,
): LocalLayerStats[] {
  const layers: LocalLayerStats[] = [];
  report.forEach((stats: RTCStats) => {
    if (stats.type !== 'outbound-rtp') return;
    const outbound = stats as RTCOutboundRtpStreamStats & { active?: boolean };
    layers.push({
      ...track,
      rid: outbound.rid,
      // Where a browser does not report it, a layer that sends is active.
      active: outbound.active ?? true,
      bytesSent: outbound.bytesSent ?? 0,
      packetsSent: outbound.packetsSent ?? 0,
      framesEncoded: outbound.framesEncoded ?? 0,
      frameWidth: outbound.frameWidth ?? 0,
      frameHeight: outbound.frameHeight ?? 0,
    });
  });
  return layers.sort((a, b) => (a.rid ?? '').localeCompare(b.rid ?? ''));
}

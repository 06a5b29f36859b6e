import type { ParticipantInfo } from '../protocol/info.ts';
import type { MediaKind } from '../protocol/primitives.ts';

/** What has arrived so far for one remote track (sums over its inbound RTP streams). */
export interface RemoteTrackStats {
  socketId: string;
  producerId: string;
  kind: MediaKind;
  participantInfo: ParticipantInfo | undefined;
  bytesReceived: number;
  packetsReceived: number;
  /** Always 0 for audio. */
  framesDecoded: number;
  /** Size of the last decoded frame (0 for audio, and before the first frame): the layer being received. */
  frameWidth: number;
  frameHeight: number;
}

export type InboundRtpTotals = Pick<
  RemoteTrackStats,
  'bytesReceived' | 'packetsReceived' | 'framesDecoded' | 'frameWidth' | 'frameHeight'
>;

/**
 * Sums the inbound-rtp entries of a receiver's stats report. Browser-side
 * transport states can say "connected" while no media flows (for example
 * when the server never connected the transport); these counters cannot.
 */
export function inboundRtpTotals(report: RTCStatsReport): InboundRtpTotals {
  const totals = { bytesReceived: 0, packetsReceived: 0, framesDecoded: 0, frameWidth: 0, frameHeight: 0 };
  report.forEach((stats: RTCStats) => {
    if (stats.type !== 'inbound-rtp') return;
    const inbound = stats as RTCInboundRtpStreamStats;
    totals.bytesReceived += inbound.bytesReceived ?? 0;
    totals.packetsReceived += inbound.packetsReceived ?? 0;
    totals.framesDecoded += inbound.framesDecoded ?? 0;
    // A receiver has one inbound stream per track (the server forwards one layer at a time).
    totals.frameWidth = Math.max(totals.frameWidth, inbound.frameWidth ?? 0);
    totals.frameHeight = Math.max(totals.frameHeight, inbound.frameHeight ?? 0);
  });
  return totals;
}

import type { types } from 'mediasoup-client';
import type { DtlsParameters, RtpCapabilities, RtpParameters } from '../protocol/media-parameters.ts';

/**
 * The protocol's schemas describe RTP structures as they travel (plain
 * strings and numbers); mediasoup-client types them more narrowly (literal
 * header-extension URIs, required payload types). These conversions only
 * change the static type, because each side checks the values at runtime:
 * mediasoup-client validates what it loads or consumes (its ortc module), and
 * the server validates every payload against the schemas.
 */

export function toDeviceRtpCapabilities(wire: RtpCapabilities): types.RtpCapabilities {
  return wire as types.RtpCapabilities;
}

/** The protocol leaves the fingerprint algorithm to mediasoup (a string); mediasoup-client types it as a union. */
export function toDeviceDtlsParameters(wire: DtlsParameters): types.DtlsParameters {
  return wire as types.DtlsParameters;
}

export function toDeviceRtpParameters(wire: RtpParameters): types.RtpParameters {
  return wire as types.RtpParameters;
}

export function toWireRtpCapabilities(device: types.RtpCapabilities): RtpCapabilities {
  return device as RtpCapabilities;
}

export function toWireRtpParameters(device: types.RtpParameters): RtpParameters {
  return device as RtpParameters;
}

/** The browser client SDK for group calls. */

export type { CallAdmission, CallStatus, SfuEndpoint } from '../protocol/calls-api.ts';
export * from './call-socket.ts';
export * from './client-events.ts';
export * from './control-plane-api.ts';
export * from './errors.ts';
export * from './group-call-client.ts';
export * from './group-call-home.ts';
export type { RemoteTrackStats } from './receive-stats.ts';
export type { LocalLayerStats } from './send-stats.ts';
export { CAMERA_SIMULCAST_ENCODINGS, spatialLayerForTileHeight } from './simulcast.ts';
export type { GroupCallSocket } from './socket-request.ts';

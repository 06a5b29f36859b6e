/** The browser client SDK for group calls. */
export * from './call-socket.ts';
export * from './client-events.ts';
export * from './control-plane-api.ts';
export * from './control-plane-schemas.ts';
export * from './errors.ts';
export * from './group-call-client.ts';
export type { RemoteTrackStats } from './receive-stats.ts';
export type { GroupCallSocket } from './socket-request.ts';

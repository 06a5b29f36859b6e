/** The browser client SDK for group calls. */
export * from './client-events.ts';
export * from './errors.ts';
export * from './group-call-client.ts';
export type { RemoteTrackStats } from './receive-stats.ts';
export type { GroupCallSocket } from './socket-request.ts';

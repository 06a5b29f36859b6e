/** The group-call wire protocol as code: event names, error strings, schemas and types. */

export * from './calls-api.ts';
export * from './client-events.ts';
export * from './errors.ts';
export * from './event-catalogue.ts';
export * from './events.ts';
export * from './info.ts';
export * from './json-depth.ts';
export * from './layer-events.ts';
export * from './limits.ts';
export * from './media-parameters.ts';
export * from './primitives.ts';
export * from './server-events.ts';
export type * from './socket-events.ts';
export * from './track-events.ts';

export * from './call-state-store.ts';
export * from './in-memory-call-state-store.ts';
export * from './redis-call-state-store.ts';
export * from './redis-script.ts';

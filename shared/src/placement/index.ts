export * from './keys.ts';
export * from './placement-scripts.ts';
export * from './pod-record.ts';
export * from './redis-pod-registry.ts';

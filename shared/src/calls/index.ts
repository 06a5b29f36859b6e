export * from './call-error.ts';
export * from './notifier.ts';
export * from './socket-rooms.ts';

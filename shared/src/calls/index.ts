export * from './call-error.ts';
export * from './call-info.ts';
export * from './initiate-call.ts';
export * from './log-push-sender.ts';
export * from './notifier.ts';
export * from './push.ts';
export * from './socket-rooms.ts';

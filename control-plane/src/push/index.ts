export * from './fcm-message.ts';
export * from './fcm-push-sender.ts';
export * from './firebase-messaging.ts';
export * from './stop-ringing.ts';
export * from './token-store.ts';

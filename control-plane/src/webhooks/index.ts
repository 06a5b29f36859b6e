export * from './call-events.ts';
export * from './in-process-call-events.ts';
export * from './webhook-sender.ts';
export * from './webhook-settings.ts';

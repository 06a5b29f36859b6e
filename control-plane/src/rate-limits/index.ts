export * from './call-rate-limits.ts';
export * from './rate-limit-settings.ts';
export * from './rate-limit-stores.ts';

export * from './service-token.ts';
export * from './service-token-error.ts';
export * from './ticket.ts';
export * from './ticket-error.ts';
export * from './ticket-keys.ts';
export * from './ticket-settings.ts';
export * from './ticket-signer.ts';

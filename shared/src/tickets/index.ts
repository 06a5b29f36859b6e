export * from './ticket.ts';
export * from './ticket-error.ts';
export * from './ticket-signer.ts';

export * from './access-token-config.ts';
export * from './access-token-verifier.ts';
export * from './auth-error.ts';
export * from './bearer-token.ts';
export * from './secret.ts';

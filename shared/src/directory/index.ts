export * from './directory.ts';
export * from './in-memory-directory.ts';

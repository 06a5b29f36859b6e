export * from './directory.ts';
export * from './directory-data.ts';
export * from './in-memory-directory.ts';

export * from './planetscale-directory.ts';

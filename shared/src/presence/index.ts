export * from './online-users.ts';

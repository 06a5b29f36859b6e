/**
 * Test infrastructure shared by the packages' test suites: real servers
 * (Redis, MariaDB) started on free loopback ports in temp dirs, a fake FCM,
 * and the helpers they are built from. Nothing here is used in production.
 */

export * from './access-tokens.ts';
export * from './captured-logs.ts';
export * from './chromium.ts';
export * from './exit-cleanup.ts';
export * from './fake-fcm.ts';
export * from './fake-pods.ts';
export * from './free-port.ts';
export * from './mariadb-server.ts';
export * from './network-lab/index.ts';
export * from './redis-commands.ts';
export * from './redis-server.ts';
export * from './server-process.ts';
export * from './tcp-probe.ts';
export * from './temp-dir.ts';
export * from './wait-until.ts';
export * from './webhook-receiver.ts';

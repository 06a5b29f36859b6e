/** Real servers for the API tests, from the workspace's shared test infrastructure. */
export { type RedisServer, startRedis, waitUntil } from '@groupcall/testing';

/**
 * testcontainers settings this project always needs, applied before the
 * library is first used (index.ts imports this module first):
 * - no Ryuk: its image would come from a registry, and none is reachable;
 *   GroupCallStack removes its own containers (stop(), and at process exit);
 * - the Docker host is localhost: inside a container (/.dockerenv) the library
 *   would otherwise probe the gateway with a helper image pulled from a registry.
 * Values already set in the environment win.
 */
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

import type { ViteUserConfig } from 'vitest/config';

/**
 * Tests load the workspace's packages from their TypeScript sources: the
 * `groupcall-source` export condition (as tsc's customConditions and the
 * esbuild bundles of the demo and test pages do) picks @groupcall/client's
 * src/ over its build, which apps get.
 */
export const workspaceSources: Pick<ViteUserConfig, 'ssr'> = {
  ssr: { resolve: { conditions: ['groupcall-source', 'module', 'node', 'development|production'] } },
};

import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.workspace-sources.ts';

export default defineProject({
  ...workspaceSources,
  test: {
    name: 'standalone',
    include: ['test/**/*.test.ts'],
    // The container suite is its own project (test/containers/vitest.config.ts).
    exclude: ['test/containers/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.workspace-sources.ts';

export default defineProject({
  ...workspaceSources,
  test: {
    name: 'sfu-worker',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

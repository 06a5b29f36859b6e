import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.workspace-sources.ts';

export default defineProject({
  ...workspaceSources,
  test: { name: 'control-plane', include: ['test/**/*.test.ts'], passWithNoTests: true },
});

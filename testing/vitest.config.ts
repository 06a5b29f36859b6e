import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.workspace-sources.ts';

export default defineProject({
  ...workspaceSources,
  test: { name: 'testing', include: ['test/**/*.test.ts'] },
});

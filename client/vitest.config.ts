import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.workspace-sources.ts';

export default defineProject({
  ...workspaceSources,
  test: { name: 'client', include: ['test/**/*.test.ts'] },
});

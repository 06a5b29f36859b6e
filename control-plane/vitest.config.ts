import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'control-plane', include: ['test/**/*.test.ts'], passWithNoTests: true },
});

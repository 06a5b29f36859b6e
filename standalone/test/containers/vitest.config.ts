import { defineProject } from 'vitest/config';
import { workspaceSources } from '../../../vitest.workspace-sources.ts';

// The container suite: the real images (control plane, sfu-worker pods, Redis,
// MariaDB behind the PlanetScale simulator) through testcontainers, with real
// browsers. Its own project so it can be run or skipped as a unit:
//   pnpm test --project containers      pnpm test --project '!containers'
// It runs after every other project (groupOrder), on a quiet machine.
export default defineProject({
  ...workspaceSources,
  test: {
    name: 'containers',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    sequence: { groupOrder: 1 },
    // One file at a time: each starts containers and browsers, too much at once on a 2-core machine.
    fileParallelism: false,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: 'localhost' },
  },
});

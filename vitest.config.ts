import { defineConfig } from 'vitest/config';

// One run covers every workspace package; each package's own vitest.config.ts
// says how its tests run (timeouts, serial files for real servers). The
// container suite (the images through testcontainers; needs Docker) is its own
// project, run last: skip it with --project '!containers', run it alone with
// --project containers.
export default defineConfig({
  test: {
    projects: [
      'client',
      'shared',
      'testing',
      'sfu-worker',
      'control-plane',
      'standalone',
      'standalone/test/containers/vitest.config.ts',
    ],
    reporters: ['default'],
  },
});

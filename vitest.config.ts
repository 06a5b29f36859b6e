import { defineConfig } from 'vitest/config';

// One run covers every workspace package; each package's own vitest.config.ts
// says how its tests run (timeouts, serial files for real servers).
export default defineConfig({
  test: {
    projects: ['shared', 'sfu-worker', 'control-plane'],
    reporters: ['default'],
  },
});

import { defineConfig } from 'tsup';

// The package other teams install: ES modules and bundled type declarations.
// The workspace code it uses (testing/src helpers, @groupcall/shared's ticket
// keys) is bundled in; the published packages (@groupcall/client, jose, zod,
// and the peer testcontainers) stay imports.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  dts: true,
  clean: true,
  sourcemap: false,
  noExternal: ['@groupcall/shared'],
});

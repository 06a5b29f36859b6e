import { defineConfig } from 'tsup';

// The package apps install: ES modules and bundled type declarations, one
// entry for the SDK (with the protocol) and one for the protocol alone. The
// dependencies (socket.io-client, mediasoup-client, zod) stay imports.
export default defineConfig({
  entry: { index: 'src/index.ts', protocol: 'src/protocol/index.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'browser',
  dts: true,
  clean: true,
  sourcemap: false,
});

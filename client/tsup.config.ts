import { defineConfig } from 'tsup';

// The package apps install: ES modules and bundled type declarations, one
// entry for the SDK (with the protocol), one for the protocol alone and one
// for the control plane's API client alone (servers, test tools). The
// dependencies (socket.io-client, mediasoup-client, zod) stay imports.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    protocol: 'src/protocol/index.ts',
    'control-plane-api': 'src/control-plane-api.ts',
  },
  format: ['esm'],
  target: 'es2022',
  platform: 'browser',
  dts: true,
  clean: true,
  sourcemap: false,
});

/**
 * How tests and benchmarks start headless Chromium (Debian's package, driven
 * by playwright-core) for real calls on loopback.
 */
export const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumFlags: readonly string[] = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Without it, where loopback is the only interface, no ICE candidates are gathered and no media flows.
  '--allow-loopback-in-peer-connection',
  '--disable-gpu',
  '--disable-quic',
  // No calls home: this machine's network is closed, and tests must only talk to loopback.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The demo page's sources (index.html, styles.css, app.ts and its modules). */
const demoSources = new URL('../../demo/', import.meta.url);

export interface DemoAssets {
  html: string;
  js: string;
  css: string;
}

/**
 * Builds the demo page in memory: demo/app.ts bundled with the client SDK,
 * socket.io-client and mediasoup-client into one ES module (~150 ms), plus
 * the page and its stylesheet as they are. The server serves these at
 * `/`, `/demo/app.js` and `/demo/styles.css`, so no build step is needed.
 */
export async function buildDemoAssets(): Promise<DemoAssets> {
  const [bundle, html, css] = await Promise.all([
    build({
      entryPoints: [fileURLToPath(new URL('app.ts', demoSources))],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      target: 'chrome120',
      // Inline so browser dev tools show the TypeScript sources without another route.
      sourcemap: 'inline',
      logLevel: 'silent',
      // @groupcall/client's TypeScript sources, not its build.
      conditions: ['groupcall-source'],
    }),
    readFile(new URL('index.html', demoSources), 'utf8'),
    readFile(new URL('styles.css', demoSources), 'utf8'),
  ]);
  const js = bundle.outputFiles[0]?.text;
  if (js === undefined) throw new Error('esbuild produced no output for the demo page');
  return { html, js, css };
}

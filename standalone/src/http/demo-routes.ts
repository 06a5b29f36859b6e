import { readFileSync } from 'node:fs';
import { demoDirectoryFile } from '@groupcall/shared/directory';
import { Hono } from 'hono';
import { buildDemoAssets } from '../demo/bundle-demo.ts';

/**
 * The demo web page, bundled in memory at start-up (esbuild, ~100 ms), so
 * `scripts/start` needs no separate build step. The page reads the demo
 * directory to offer users and conversations.
 */
export async function demoRoutes(): Promise<Hono> {
  const assets = await buildDemoAssets();
  const directory = readFileSync(demoDirectoryFile, 'utf8');
  return new Hono()
    .get('/', (c) => c.html(assets.html))
    .get('/demo/app.js', (c) => c.body(assets.js, 200, { 'content-type': 'text/javascript; charset=utf-8' }))
    .get('/demo/styles.css', (c) => c.body(assets.css, 200, { 'content-type': 'text/css; charset=utf-8' }))
    .get('/demo/directory.json', (c) => c.body(directory, 200, { 'content-type': 'application/json' }));
}

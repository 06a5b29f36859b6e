import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const clientDir = path.resolve(import.meta.dirname, '../..');
const workspaceTsc = path.join(clientDir, 'node_modules/.bin/tsc');

/**
 * What an app does with the SDK: install the packed tarball in a project of
 * its own (outside this workspace, dependencies from the npm registry) and
 * bundle it for the browser. The tarball is what `pnpm pack` (as `pnpm
 * publish`) makes of client/ after its build: pnpm applies publishConfig, whose
 * exports leave out the workspace's `groupcall-source` condition.
 */
describe('@groupcall/client as an app installs it', () => {
  let work: string;
  let tarball: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'groupcall-client-pack-'));
    await run('pnpm', ['run', 'build'], { cwd: clientDir });
    const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', work], { cwd: clientDir });
    const packed = JSON.parse(stdout) as { filename?: string };
    if (!packed.filename) throw new Error('pnpm pack reported no tarball');
    tarball = path.resolve(work, packed.filename);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds JavaScript and type declarations only', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    const content = files.filter((file) => file !== 'package/package.json');
    expect(content.filter((file) => !/\.(js|d\.ts)$/.test(file))).toEqual([]);
    expect(content.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it('exports only what the tarball holds, without the workspace-only source condition', async () => {
    const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
    const manifest = JSON.parse(stdout) as { exports: Record<string, Record<string, string>> };
    expect(manifest.exports).toEqual({
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
      './protocol': { types: './dist/protocol.d.ts', import: './dist/protocol.js' },
      './control-plane-api': {
        types: './dist/control-plane-api.d.ts',
        import: './dist/control-plane-api.js',
      },
    });
    expect(manifest).not.toHaveProperty('publishConfig');
  });

  it('installs in a fresh project, type-checks and bundles for the browser', async () => {
    const app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app });
    writeFileSync(
      path.join(app, 'main.ts'),
      [
        "import { ControlPlaneApi, GroupCallClient, openCallSocket } from '@groupcall/client';",
        "import { GroupCallIncomingSchema } from '@groupcall/client/protocol';",
        'export const api = new ControlPlaneApi({',
        "  baseUrl: 'https://calls.example',",
        "  getAccessToken: async () => 'token',",
        '});',
        'export async function join(conversationId: string): Promise<GroupCallClient> {',
        '  const admission = await api.joinCall(conversationId);',
        "  return new GroupCallClient(openCallSocket(admission.endpoint, { accessToken: 'token' }));",
        '}',
        'export const parse = (data: unknown) => GroupCallIncomingSchema.safeParse(data).success;',
      ].join('\n'),
    );
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'esnext',
          moduleResolution: 'bundler',
          lib: ['es2022', 'dom'],
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['main.ts'],
      }),
    );
    // Only node_modules of the app itself: the workspace's packages are not reachable from here.
    expect(readdirSync(path.join(app, 'node_modules/@groupcall'))).toEqual(['client']);

    await run(workspaceTsc, ['-p', 'tsconfig.json'], { cwd: app });
    const bundle = await build({
      entryPoints: [path.join(app, 'main.ts')],
      absWorkingDir: app,
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]?.text ?? '';
    expect(js).toContain('group_call_incoming');
    expect(js).toContain('mediasoup-client');
  }, 240_000);
});

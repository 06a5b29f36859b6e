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
 * bundle it for the browser. The tarball is what `npm pack` makes of client/
 * after its build.
 */
describe('@groupcall/client as an app installs it', () => {
  let work: string;
  let tarball: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'groupcall-client-pack-'));
    await run('pnpm', ['run', 'build'], { cwd: clientDir });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: clientDir });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error('npm pack reported no tarball');
    tarball = path.join(work, packed.filename);
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

import { type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { ControlPlaneApi } from '@groupcall/client';
import type { CallAdmission } from '@groupcall/shared/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, startBrowserHarness } from '../cluster/support/browser-participant.ts';
import { localImages } from './support/local-images.ts';
import { expectMediaBetween } from './support/media.ts';

const run = promisify(execFile);
const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
const workspaceTsc = path.join(repositoryRoot, 'node_modules/.bin/tsc');
/** The packages another team installs: the module and the one workspace package it depends on. */
const packedPackages = ['testing/testcontainers', 'client'];
const conversationId = 'team-alpha';

/** What the outside project's script prints once its stack is up. */
interface StackReport {
  networkMode: string;
  controlPlaneUrl: string;
  pods: { name: string; url: string; path: string; mediaPort: number; networks: string[] }[];
  tokens: Record<string, string>;
  /** The control plane's and the pods' containers. */
  containerIds: string[];
}

/**
 * The module as another team uses it: packed (pnpm pack) with the packages it
 * needs, installed with npm in a project of its own outside this workspace
 * (testcontainers from the npm registry), and started there by a script with
 * the builder, over bridge networking. This test only reads what the script
 * prints and drives a call with real browsers through the stack it started.
 */
describe('@groupcall/testcontainers from a project outside the workspace', () => {
  let work: string;
  let stackScript: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  let stackOutput = '';
  let report: StackReport;
  let browsers: BrowserHarness | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'groupcall-testcontainers-module-'));
    const tarballs: string[] = [];
    for (const pkg of packedPackages) {
      const dir = path.join(repositoryRoot, pkg);
      await run('pnpm', ['run', 'build'], { cwd: dir });
      const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', work], { cwd: dir });
      tarballs.push((JSON.parse(stdout) as { filename: string }).filename);
    }

    const app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    // --ignore-scripts: testcontainers' optional native ssh speed-ups would compile, and are never used.
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        ...tarballs,
        'testcontainers@12.2.0',
      ],
      { cwd: app },
    );
    // Only the app's own node_modules: the workspace's packages are not reachable from here.
    expect(readdirSync(path.join(app, 'node_modules/@groupcall')).sort()).toEqual([
      'client',
      'testcontainers',
    ]);
    writeFileSync(path.join(app, 'start-stack.ts'), startStackScript);
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2024',
          lib: ['es2024', 'esnext.disposable'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['start-stack.ts'],
      }),
    );
    // The published type declarations are enough to write the script.
    await run(workspaceTsc, ['-p', 'tsconfig.json'], { cwd: app });

    stackScript = spawn(process.execPath, ['start-stack.ts'], {
      cwd: app,
      env: {
        ...process.env,
        STACK_IMAGES: JSON.stringify(localImages()),
        // No Ryuk (its image would be pulled) and no gateway probe (a helper image): see README.
        TESTCONTAINERS_RYUK_DISABLED: 'true',
        TESTCONTAINERS_HOST_OVERRIDE: 'localhost',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    report = await readReport(stackScript, (text) => {
      stackOutput += text;
    });
    browsers = await startBrowserHarness();
  }, 600_000);

  afterAll(async () => {
    await browsers?.close();
    if (stackScript && stackScript.exitCode === null) {
      const exited = new Promise((resolve) => stackScript?.once('exit', resolve));
      // The script stops its stack when its stdin ends; SIGTERM (its exit cleanup removes the containers) if it hangs.
      stackScript.stdin.end();
      const timer = setTimeout(() => stackScript?.kill('SIGTERM'), 60_000);
      await exited;
      clearTimeout(timer);
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('starts the stack over a bridge network, the pods reachable from this machine', () => {
    expect(report.networkMode).toBe('bridge');
    expect(report.pods).toHaveLength(1);
    for (const pod of report.pods) {
      expect(pod.networks).not.toContain('host');
      expect(pod.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it("carries media between two browsers through the stack the project's script started", async () => {
    const api = (userId: string) =>
      new ControlPlaneApi({
        baseUrl: report.controlPlaneUrl,
        getAccessToken: async () => report.tokens[userId] ?? '',
      });
    const alice = await api('1').startCall(conversationId, 'video');
    const [pod] = report.pods;
    expect(alice.endpoint).toEqual({ url: pod?.url, path: pod?.path });
    const bob = await api('2').joinCall(conversationId);
    const [alicePage, bobPage] = [await enter('1', alice), await enter('2', bob)];
    await expectMediaBetween(alicePage, bobPage);
    expect((await api('2').callStatus(conversationId)).participants).toBe(2);
  }, 120_000);

  it('removes its containers and network when the script leaves its `await using` scope', async () => {
    const script = stackScript;
    if (!script) throw new Error('no script');
    const exited = new Promise<number | null>((resolve) => script.once('exit', (code) => resolve(code)));
    script.stdin.end();
    expect(await exited).toBe(0);
    const { stdout: containers } = await run('docker', [
      'ps',
      '--all',
      '--quiet',
      '--no-trunc',
      ...report.containerIds.flatMap((id) => ['--filter', `id=${id}`]),
    ]);
    expect(containers.trim()).toBe('');
    // The stack's own network (Docker may list its default bridge beside it).
    const stackNetworks = report.pods[0]?.networks.filter((name) => name !== 'bridge') ?? [];
    expect(stackNetworks).toHaveLength(1);
    const { stdout: networks } = await run('docker', ['network', 'ls', '--format', '{{.Name}}']);
    expect(networks.split('\n')).not.toContain(stackNetworks[0]);
  }, 120_000);

  async function enter(userId: string, admission: CallAdmission): Promise<Page> {
    if (!browsers) throw new Error('no browsers');
    const page = await browsers.open({
      url: admission.endpoint.url,
      path: admission.endpoint.path,
      token: report.tokens[userId] ?? '',
      userId,
      conversationId,
      ticket: admission.ticket,
    });
    pages.push(page);
    return page;
  }

  /** The first JSON line of the script's stdout; its output so far when it exits first. */
  function readReport(
    child: ChildProcessByStdio<Writable, Readable, Readable>,
    record: (text: string) => void,
  ): Promise<StackReport> {
    return new Promise((resolve, reject) => {
      let stdout = '';
      child.stderr.on('data', (chunk: Buffer) => record(chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        record(chunk.toString());
        stdout += chunk.toString();
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line && stdout.includes('\n', stdout.indexOf(line))) resolve(JSON.parse(line) as StackReport);
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`start-stack.ts exited (${signal ?? code}) before its report:\n${stackOutput}`)),
      );
    });
  }
});

/**
 * The outside project's script, as another team would write it: the builder
 * with the images of this machine (no registry here), a stack held in an
 * `await using` scope until stdin ends.
 */
const startStackScript = `
import { GroupCallContainer } from '@groupcall/testcontainers';

const images = JSON.parse(process.env.STACK_IMAGES ?? '{}');

async function main(): Promise<void> {
  await using stack = await new GroupCallContainer()
    .withImages(images)
    .withoutPulling()
    .withSfuPods(1)
    .withControlPlaneEnv({ RING_TIMEOUT_SECONDS: '30' })
    .start();
  const report = {
    networkMode: stack.getNetworkMode(),
    controlPlaneUrl: stack.getControlPlaneUrl(),
    pods: stack.getPods().map((pod) => ({
      name: pod.name,
      url: pod.url,
      path: pod.path,
      mediaPort: pod.mediaPort,
      networks: pod.container.getNetworkNames(),
    })),
    tokens: { '1': await stack.token('1'), '2': await stack.token('2') },
    containerIds: [stack.getControlPlaneContainer(), ...stack.getPods().map((pod) => pod.container)].map((c) =>
      c.getId(),
    ),
  };
  process.stdout.write(JSON.stringify(report) + '\\n');
  // Hold the stack until the test closes stdin; leaving the scope stops it.
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
}

await main();
process.exit(0);
`;

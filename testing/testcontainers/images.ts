import './environment.ts';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { getContainerRuntimeClient, ImageName } from 'testcontainers';

/** The images a GroupCallStack runs; all built locally by scripts/build-images, never pulled. */
export interface GroupCallImages {
  controlPlane: string;
  sfuWorker: string;
  redis: string;
  /** MariaDB behind the PlanetScale HTTP simulator, migrated and seeded at start. */
  planetScaleSimulator: string;
}

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/** The names scripts/build-images gives them (IMAGE_PREFIX and IMAGE_TAG as it reads them). */
export function defaultImages(env: NodeJS.ProcessEnv = process.env): GroupCallImages {
  return {
    controlPlane: serviceImage('control-plane', env),
    sfuWorker: serviceImage('sfu-worker', env),
    redis: 'local/redis:bookworm',
    planetScaleSimulator: `local/groupcall-planetscale-sim:${env.IMAGE_TAG ?? 'dev'}`,
  };
}

/** The single-process product's image (standalone/Dockerfile), as scripts/build-images names it. */
export function defaultStandaloneImage(env: NodeJS.ProcessEnv = process.env): string {
  return serviceImage('standalone', env);
}

function serviceImage(service: string, env: NodeJS.ProcessEnv): string {
  return `${env.IMAGE_PREFIX ?? 'groupcall/'}${service}:${env.IMAGE_TAG ?? 'dev'}`;
}

/**
 * Builds (or, when nothing changed, only checks: about 2 s) every image of the
 * stack with `scripts/build-images --test-images`. Cold, it takes a few
 * minutes. Its progress goes to this process's stderr.
 */
export async function buildGroupCallImages(): Promise<void> {
  const script = path.join(repositoryRoot, 'scripts/build-images');
  const child = spawn(script, ['--test-images'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve([c, s]));
  });
  if (code !== 0) throw new Error(`scripts/build-images --test-images failed (${signal ?? `exit ${code}`})`);
}

/** The container engine's client, or a clear error when no Docker daemon answers. */
export async function checkContainerEngine(): Promise<Awaited<ReturnType<typeof getContainerRuntimeClient>>> {
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    throw new Error(
      'GroupCallStack needs a running Docker daemon (start dockerd, or run ./scripts/test, which starts one): ' +
        (error instanceof Error ? error.message : String(error)),
    );
  }
}

/**
 * Throws one clear error when the container engine does not answer or an
 * image is missing (nothing is ever pulled: there is no registry).
 */
export async function checkImages(images: GroupCallImages): Promise<void> {
  const client = await checkContainerEngine();
  const missing: string[] = [];
  for (const image of Object.values(images)) {
    if (!(await client.image.exists(ImageName.fromString(image)))) missing.push(image);
  }
  if (missing.length > 0) {
    throw new Error(
      `GroupCallStack: image(s) ${missing.join(', ')} not built; run scripts/build-images --test-images ` +
        '(or buildGroupCallImages()) first. Images are never pulled.',
    );
  }
}

/**
 * Removes containers of stacks whose test process is gone (killed before it
 * could clean up; there is no Ryuk here). Stacks of running processes, such
 * as another suite on the same machine, are left alone.
 */
export function removeOrphanedStackContainers(): string[] {
  const listed = spawnSync(
    'docker',
    [
      'ps',
      '--all',
      '--filter',
      'label=io.groupcall.test-pid',
      '--format',
      '{{.ID}} {{.Label "io.groupcall.test-pid"}}',
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (listed.status !== 0) return [];
  const orphans = listed.stdout
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter(([id, pid]) => id && pid && !processAlive(Number(pid)))
    .map(([id]) => id as string);
  if (orphans.length > 0)
    spawnSync('docker', ['rm', '--force', ...orphans], { stdio: 'ignore', timeout: 30_000 });
  return orphans;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

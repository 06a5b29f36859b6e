import { spawn } from 'node:child_process';
import path from 'node:path';
// Type only: the global setup loads this file without the source condition, where the module has no build.
import type { GroupCallImages } from '@groupcall/testcontainers';
import { getContainerRuntimeClient } from 'testcontainers';

const repositoryRoot = path.resolve(import.meta.dirname, '../../../..');

/** The names scripts/build-images gives the images (IMAGE_PREFIX and IMAGE_TAG as it reads them). */
export function localImages(env: NodeJS.ProcessEnv = process.env): GroupCallImages {
  const prefix = env.IMAGE_PREFIX ?? 'groupcall/';
  const tag = env.IMAGE_TAG ?? 'dev';
  return {
    controlPlane: `${prefix}control-plane:${tag}`,
    sfuWorker: `${prefix}sfu-worker:${tag}`,
    redis: 'local/redis:bookworm',
    planetScaleSimulator: `local/groupcall-planetscale-sim:${tag}`,
  };
}

/** The single-process product's image (standalone/Dockerfile), as scripts/build-images names it. */
export function localStandaloneImage(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.IMAGE_PREFIX ?? 'groupcall/'}standalone:${env.IMAGE_TAG ?? 'dev'}`;
}

/**
 * Builds (or, when nothing changed, only checks: about 2 s) every image of the
 * stack with `scripts/build-images --test-images`. Cold, it takes a few
 * minutes. Its progress goes to this process's stderr.
 */
export async function buildLocalImages(): Promise<void> {
  const script = path.join(repositoryRoot, 'scripts/build-images');
  const child = spawn(script, ['--test-images'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve([c, s]));
  });
  if (code !== 0) throw new Error(`scripts/build-images --test-images failed (${signal ?? `exit ${code}`})`);
}

/** A clear error when no Docker daemon answers. */
export async function checkContainerEngine(): Promise<void> {
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    throw new Error(
      'The container suite needs a running Docker daemon (start dockerd, or run ./scripts/test, which starts one): ' +
        (error instanceof Error ? error.message : String(error)),
    );
  }
}

import { buildLocalImages, checkContainerEngine } from './support/local-images.ts';

/**
 * Before the container suite: a Docker daemon must answer (./scripts/test
 * starts one; a clear failure otherwise, never a silent skip), then the images
 * are built or found up to date by scripts/build-images (about 2 s when
 * nothing changed, a few minutes cold). GROUPCALL_SKIP_IMAGE_BUILD=1 uses the
 * images as they are. (Containers left by a killed earlier run are removed
 * when the next stack starts: removeOrphanedStacks.)
 */
export default async function setup(): Promise<void> {
  await checkContainerEngine();
  if (process.env.GROUPCALL_SKIP_IMAGE_BUILD !== '1') await buildLocalImages();
}

import {
  buildLocalImages,
  checkContainerEngine,
  removeOrphanedStackContainers,
} from './support/local-images.ts';

/**
 * Before the container suite: a Docker daemon must answer (./scripts/test
 * starts one; a clear failure otherwise, never a silent skip), then the images
 * are built or found up to date by scripts/build-images (about 2 s when
 * nothing changed, a few minutes cold). GROUPCALL_SKIP_IMAGE_BUILD=1 uses the
 * images as they are. Containers left by a killed earlier run are removed.
 */
export default async function setup(): Promise<void> {
  await checkContainerEngine();
  const orphans = removeOrphanedStackContainers();
  if (orphans.length > 0) console.warn(`removed ${orphans.length} container(s) left by an earlier run`);
  if (process.env.GROUPCALL_SKIP_IMAGE_BUILD !== '1') await buildLocalImages();
}

import packageJson from '../package.json' with { type: 'json' };

/** The images a GroupCallContainer runs. */
export interface GroupCallImages {
  controlPlane: string;
  sfuWorker: string;
  /** Any image with `redis-server` on its PATH (Redis 7). */
  redis: string;
  /** MariaDB behind the PlanetScale HTTP simulator, migrated and seeded at start. */
  planetScaleSimulator: string;
}

/**
 * The published images of this module's release: the services and the
 * simulator are tagged with the package version, so a module release runs
 * the product release it was tested with. Pulled when missing locally.
 */
export const publishedImages: Readonly<GroupCallImages> = Object.freeze({
  controlPlane: `ghcr.io/groupcall/control-plane:${packageJson.version}`,
  sfuWorker: `ghcr.io/groupcall/sfu-worker:${packageJson.version}`,
  redis: 'redis:7-bookworm',
  planetScaleSimulator: `ghcr.io/groupcall/planetscale-sim:${packageJson.version}`,
});

/** The single-process product (standalone/Dockerfile) of this module's release. */
export const publishedStandaloneImage = `ghcr.io/groupcall/standalone:${packageJson.version}`;

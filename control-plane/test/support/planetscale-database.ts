import { type MariaDbServer, startMariaDb } from '@groupcall/testing';
import {
  type PlanetScaleSimulator,
  startPlanetScaleSimulator,
} from '@groupcall/testing/planetscale-simulator';
import { Client } from '@planetscale/database';
import { runMigrations } from '../../tools/migrations/run-migrations.ts';

/**
 * A real database reached the way production reaches PlanetScale: MariaDB
 * in a temp dir, the PlanetScale HTTP simulator in front of it, and the real
 * @planetscale/database driver, with the migrations applied.
 */
export interface PlanetScaleDatabase {
  mariadb: MariaDbServer;
  simulator: PlanetScaleSimulator;
  /** The DATABASE_URL of the simulator. */
  url: string;
  /** A driver client for setting up and checking data. */
  db: Client;
  /** Another simulator on another (empty, unmigrated) database of the same server. */
  scratch(database: string): Promise<{ url: string; db: Client }>;
  stop(): Promise<void>;
}

export async function startPlanetScaleDatabase(): Promise<PlanetScaleDatabase> {
  const mariadb = await startMariaDb({ databases: ['groupcall'] });
  const simulators: PlanetScaleSimulator[] = [];
  const simulate = async (database: string) => {
    const simulator = await startPlanetScaleSimulator({
      mysql: { host: mariadb.host, port: mariadb.port, user: mariadb.user, database },
      username: 'test',
      password: 'secret',
    });
    simulators.push(simulator);
    return simulator;
  };

  try {
    const simulator = await simulate('groupcall');
    const db = new Client({ url: simulator.url });
    await runMigrations(db);
    return {
      mariadb,
      simulator,
      url: simulator.url,
      db,
      async scratch(database) {
        await db.execute(`CREATE DATABASE \`${database}\``);
        const scratchSimulator = await simulate(database);
        return { url: scratchSimulator.url, db: new Client({ url: scratchSimulator.url }) };
      },
      async stop() {
        await Promise.all(simulators.map((s) => s.stop()));
        await mariadb.stop();
      },
    };
  } catch (error) {
    await Promise.all(simulators.map((s) => s.stop()));
    await mariadb.stop();
    throw error;
  }
}

/**
 * Applies control-plane/migrations to the database at DATABASE_URL:
 *
 *   DATABASE_URL=http://dev:dev@127.0.0.1:3900 node tools/migrations/cli.ts [--dir DIR]
 */
import { parseArgs } from 'node:util';
import { databaseFromEnv } from '../database-url.ts';
import { defaultMigrationsDir, runMigrations } from './run-migrations.ts';

const { values } = parseArgs({ options: { dir: { type: 'string', default: defaultMigrationsDir } } });

try {
  const report = await runMigrations(databaseFromEnv(), values.dir);
  for (const name of report.applied) console.log(`applied ${name}`);
  console.log(`${report.applied.length} applied, ${report.alreadyApplied.length} already applied`);
} catch (error) {
  console.error(`migrations: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

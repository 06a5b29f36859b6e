/**
 * Loads directory data into the database at DATABASE_URL (run the
 * migrations first):
 *
 *   DATABASE_URL=http://dev:dev@127.0.0.1:3900 node tools/seed/cli.ts [--file shared/demo/directory.json]
 */
import { parseArgs } from 'node:util';
import { demoDirectoryFile, loadDirectoryData } from '@groupcall/shared/directory';
import { databaseFromEnv } from '../database-url.ts';
import { seedDirectory } from './seed-directory.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });

try {
  const report = await seedDirectory(databaseFromEnv(), loadDirectoryData(values.file ?? demoDirectoryFile));
  console.log(
    `seeded ${report.users} users, ${report.conversations} conversations, ${report.members} memberships`,
  );
} catch (error) {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

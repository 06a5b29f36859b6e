import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@planetscale/database';

/**
 * A small migration runner that works through the PlanetScale driver (so
 * over HTTP, one statement per request):
 *
 * - migrations are the `NNNN_description.sql` files of a folder, applied in
 *   name order, each once;
 * - the `schema_migrations` table records each applied file with a SHA-256
 *   of its text, and a file changed after it was applied is an error
 *   (write a new migration instead);
 * - a file holds one or more statements, each ending with `;` at the end of
 *   a line; whole-line `--` comments are allowed.
 *
 * MySQL cannot roll back DDL, so a migration that fails halfway is not
 * recorded and has to be repaired by hand: keep one schema change per file.
 * Run one runner at a time (a deploy step), not one per replica.
 */
export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

export type Database = Pick<Client, 'execute'>;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATION_FILE = /^\d{4}_[A-Za-z0-9_-]+\.sql$/;

export async function runMigrations(
  db: Database,
  dir: string = defaultMigrationsDir,
): Promise<MigrationReport> {
  await db.execute(
    'CREATE TABLE IF NOT EXISTS `schema_migrations` (' +
      '`name` VARCHAR(191) NOT NULL PRIMARY KEY, ' +
      '`checksum` CHAR(64) NOT NULL, ' +
      '`appliedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))',
  );
  const { rows } = await db.execute<{ name: string; checksum: string }>(
    'SELECT `name`, `checksum` FROM `schema_migrations`',
  );
  const applied = new Map(rows.map((row) => [row.name, row.checksum]));
  const report: MigrationReport = { applied: [], alreadyApplied: [] };

  for (const name of migrationFiles(dir)) {
    const text = readFileSync(join(dir, name), 'utf8');
    const checksum = createHash('sha256').update(text).digest('hex');
    const recorded = applied.get(name);
    if (recorded !== undefined) {
      if (recorded !== checksum) {
        throw new Error(`migration ${name} changed after it was applied; add a new migration instead`);
      }
      report.alreadyApplied.push(name);
      continue;
    }
    const statements = splitStatements(text);
    for (const [index, statement] of statements.entries()) {
      try {
        await db.execute(statement);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `migration ${name} failed at statement ${index + 1} of ${statements.length}: ${reason}` +
            (index > 0 ? ' (earlier statements of this file were applied; repair by hand)' : ''),
        );
      }
    }
    await db.execute('INSERT INTO `schema_migrations` (`name`, `checksum`) VALUES (?, ?)', [name, checksum]);
    report.applied.push(name);
  }
  return report;
}

/** The folder's migration files in the order they apply; anything else ending in .sql is an error. */
export function migrationFiles(dir: string): string[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const misnamed = files.filter((name) => !MIGRATION_FILE.test(name));
  if (misnamed.length > 0) {
    throw new Error(`migration files must be named NNNN_description.sql: ${misnamed.join(', ')} in ${dir}`);
  }
  return files;
}

/** A file's statements: whole-line comments dropped, split where a line ends with `;`. */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim().startsWith('--')) continue;
    current.push(line);
    if (line.trimEnd().endsWith(';')) {
      statements.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest !== '') statements.push(rest);
  return statements.filter((statement) => statement !== '');
}

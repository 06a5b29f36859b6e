import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@groupcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultMigrationsDir,
  runMigrations,
  splitStatements,
} from '../../tools/migrations/run-migrations.ts';
import { type PlanetScaleDatabase, startPlanetScaleDatabase } from '../support/planetscale-database.ts';

let database: PlanetScaleDatabase;
let dir: TempDir;

beforeAll(async () => {
  database = await startPlanetScaleDatabase();
  dir = makeTempDir('migrations');
}, 60_000);

afterAll(async () => {
  dir?.remove();
  await database?.stop();
});

describe('the migration runner', () => {
  it('has applied the project migrations, and a second run applies nothing', async () => {
    const report = await runMigrations(database.db, defaultMigrationsDir);
    expect(report).toEqual({ applied: [], alreadyApplied: ['0001_directory.sql'] });
    const { rows } = await database.db.execute('SHOW TABLES');
    expect(rows.map((row) => Object.values(row)[0]).sort()).toEqual([
      'Conversation',
      'ConversationMember',
      'User',
      'schema_migrations',
    ]);
  });

  it('applies new files in name order, each once, and refuses a file changed after it was applied', async () => {
    const { db } = await database.scratch('migrations_scratch');
    writeFileSync(join(dir.path, '0002_second.sql'), 'ALTER TABLE t ADD COLUMN b INT;\n');
    writeFileSync(
      join(dir.path, '0001_first.sql'),
      '-- a table\nCREATE TABLE t (\n  a INT\n);\nINSERT INTO t (a) VALUES (1);\n',
    );

    expect(await runMigrations(db, dir.path)).toEqual({
      applied: ['0001_first.sql', '0002_second.sql'],
      alreadyApplied: [],
    });
    expect((await db.execute('SELECT a, b FROM t')).rows).toEqual([{ a: 1, b: null }]);

    writeFileSync(join(dir.path, '0001_first.sql'), 'CREATE TABLE t (a BIGINT);\n');
    await expect(runMigrations(db, dir.path)).rejects.toThrow(/0001_first.sql changed after it was applied/);
  });

  it('names the file and statement that failed', async () => {
    const { db } = await database.scratch('migrations_failing');
    const failing = makeTempDir('migrations-failing');
    writeFileSync(join(failing.path, '0001_bad.sql'), 'CREATE TABLE ok (a INT);\nCREATE TABLE ok (a INT);\n');
    await expect(runMigrations(db, failing.path)).rejects.toThrow(
      /migration 0001_bad.sql failed at statement 2 of 2: .*already exists.*repair by hand/,
    );
    failing.remove();
  });

  it('splits a file into statements at line-ending semicolons, dropping whole-line comments', () => {
    expect(
      splitStatements('-- header\nCREATE TABLE a (\n  x INT -- inline stays\n);\n\nSELECT 1;\n'),
    ).toEqual(['CREATE TABLE a (\n  x INT -- inline stays\n)', 'SELECT 1']);
  });
});

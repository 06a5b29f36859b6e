import { Client, DatabaseError } from '@planetscale/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlanetScaleDatabase, startPlanetScaleDatabase } from '../support/planetscale-database.ts';

// The simulator is only useful if the real driver sees what PlanetScale would
// send it: these tests go through @planetscale/database end to end.
let database: PlanetScaleDatabase;
let db: Client;

beforeAll(async () => {
  database = await startPlanetScaleDatabase();
  db = database.db;
  await db.execute(
    'CREATE TABLE probe (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, label VARCHAR(50) NOT NULL UNIQUE, ' +
      'big BIGINT NULL, price DECIMAL(10,2) NULL, ratio DOUBLE NULL, at DATETIME NULL, doc JSON NULL, raw VARBINARY(8) NULL)',
  );
}, 60_000);

afterAll(() => database?.stop());

describe('the PlanetScale HTTP simulator, through the real driver', () => {
  it('decodes each column type as the driver does against PlanetScale', async () => {
    await db.execute(
      'INSERT INTO probe (label, big, price, ratio, at, doc, raw) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        'grüße 👋',
        '9007199254740993',
        '12.50',
        0.25,
        '2026-01-02 03:04:05',
        '{"a":[1,"x",null]}',
        new Uint8Array([0, 255]),
      ],
    );
    const { rows, types } = await db.execute('SELECT id, label, big, price, ratio, at, doc, raw FROM probe');
    expect(types).toEqual({
      id: 'INT32',
      label: 'VARCHAR',
      big: 'INT64',
      price: 'DECIMAL',
      ratio: 'FLOAT64',
      at: 'DATETIME',
      doc: 'JSON',
      raw: 'VARBINARY',
    });
    expect(rows).toEqual([
      {
        id: 1,
        label: 'grüße 👋',
        big: '9007199254740993', // 64-bit integers stay strings, as on PlanetScale
        price: '12.50',
        ratio: 0.25,
        at: '2026-01-02 03:04:05',
        doc: { a: [1, 'x', null] },
        raw: new Uint8Array([0, 255]),
      },
    ]);
  });

  it('returns NULL as null and an empty string as an empty string', async () => {
    const { rows } = await db.execute("SELECT NULL AS nothing, '' AS empty, 7 AS seven");
    expect(rows).toEqual([{ nothing: null, empty: '', seven: 7 }]);
  });

  it('reports rows affected and the insert id', async () => {
    const inserted = await db.execute('INSERT INTO probe (label) VALUES (?), (?)', ['a', 'b']);
    expect(inserted.rowsAffected).toBe(2);
    expect(Number(inserted.insertId)).toBeGreaterThan(1);
    const updated = await db.execute('UPDATE probe SET ratio = 1 WHERE label IN (?)', [['a', 'b']]);
    expect(updated.rowsAffected).toBe(2);
  });

  it('answers SQL errors as PlanetScale does: a DatabaseError with a Vitess code and the MySQL errno', async () => {
    const error = await db.execute('INSERT INTO probe (label) VALUES (?)', ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).body.code).toBe('ALREADY_EXISTS');
    expect((error as DatabaseError).message).toMatch(
      /Duplicate entry 'a'.*\(errno 1062\) \(sqlstate 23000\)/,
    );

    const syntax = await db.execute('SELEC 1').catch((e: unknown) => e);
    expect((syntax as DatabaseError).body.code).toBe('INVALID_ARGUMENT');
  });

  it('refuses wrong credentials', async () => {
    const intruder = new Client({ url: database.url.replace('secret', 'guess') });
    const error = await intruder.execute('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).status).toBe(401);
  });

  it('runs a transaction on one connection: invisible to others until COMMIT', async () => {
    const other = new Client({ url: database.url });
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO probe (label) VALUES (?)', ['in-tx']);
      const inside = await tx.execute('SELECT COUNT(*) AS n FROM probe WHERE label = ?', ['in-tx']);
      expect(inside.rows).toEqual([{ n: '1' }]);
      const outside = await other.execute('SELECT COUNT(*) AS n FROM probe WHERE label = ?', ['in-tx']);
      expect(outside.rows).toEqual([{ n: '0' }]);
    });
    const after = await other.execute('SELECT COUNT(*) AS n FROM probe WHERE label = ?', ['in-tx']);
    expect(after.rows).toEqual([{ n: '1' }]);
    expect(database.simulator.openTransactions()).toBe(0);
  });

  it('rolls a transaction back when it throws', async () => {
    const failure = db.transaction(async (tx) => {
      await tx.execute('INSERT INTO probe (label) VALUES (?)', ['rolled-back']);
      throw new Error('changed my mind');
    });
    await expect(failure).rejects.toThrow('changed my mind');
    const { rows } = await db.execute('SELECT COUNT(*) AS n FROM probe WHERE label = ?', ['rolled-back']);
    expect(rows).toEqual([{ n: '0' }]);
    expect(database.simulator.openTransactions()).toBe(0);
  });
});

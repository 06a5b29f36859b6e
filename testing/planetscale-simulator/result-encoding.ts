import type { FieldPacket, ResultSetHeader } from 'mysql2/promise';

/**
 * Turns a mysql2 result into PlanetScale's `QueryResult` JSON (Vitess
 * `query.QueryResult` as protojson): fields with Vitess type names, rows as
 * byte lengths plus one base64 string of the concatenated values (length -1
 * for NULL), and 64-bit counters as decimal strings. Zero values are left
 * out, as protojson does. The driver's `cast` turns these back into
 * JavaScript values, so the type names decide what the application sees.
 */
export interface VitessField {
  name: string;
  type: string;
  table?: string;
  orgTable?: string;
  database?: string;
  orgName?: string;
  columnLength?: number;
  charset?: number;
  decimals?: number;
  flags?: number;
}

export interface VitessRow {
  lengths: string[];
  values?: string;
}

export interface VitessQueryResult {
  fields?: VitessField[];
  rows?: VitessRow[];
  rowsAffected?: string;
  insertId?: string;
}

/** Raw column values as the server sent them (text protocol): bytes, or null for NULL. */
export type RawRow = (Buffer | null)[];

const BINARY_CHARSET = 63;
const NULL_TYPE_CODE = 6;
const Flag = { unsigned: 32, enum: 256, set: 2048 } as const;

export function encodeResult(
  result: RawRow[] | ResultSetHeader,
  fields: FieldPacket[] | undefined,
): VitessQueryResult {
  if (!Array.isArray(result)) {
    return { rowsAffected: nonZero(result.affectedRows), insertId: nonZero(result.insertId) };
  }
  return { fields: (fields ?? []).map(encodeField), rows: result.map(encodeRow) };
}

function encodeField(field: FieldPacket): VitessField {
  const flags = typeof field.flags === 'number' ? field.flags : 0;
  return {
    name: field.name,
    type: vitessType(
      field.columnType ?? field.type ?? NULL_TYPE_CODE,
      flags,
      field.characterSet,
      field.extendedFormat,
    ),
    table: field.table || undefined,
    orgTable: field.orgTable || undefined,
    database: field.schema || field.db || undefined,
    orgName: field.orgName || undefined,
    columnLength: field.columnLength,
    charset: field.characterSet,
    decimals: field.decimals || undefined,
    flags: flags || undefined,
  };
}

function encodeRow(row: RawRow): VitessRow {
  const present = row.filter((value): value is Buffer => value !== null);
  const values = Buffer.concat(present).toString('base64');
  return {
    lengths: row.map((value) => String(value === null ? -1 : value.length)),
    values: values || undefined,
  };
}

/** MySQL column type codes with one Vitess type (vitess go/sqltypes MySQLToType). */
const FIXED_TYPES: Record<number, string> = {
  0: 'DECIMAL',
  246: 'DECIMAL',
  4: 'FLOAT32',
  5: 'FLOAT64',
  6: 'NULL_TYPE',
  7: 'TIMESTAMP',
  10: 'DATE',
  14: 'DATE',
  11: 'TIME',
  12: 'DATETIME',
  13: 'YEAR',
  16: 'BIT',
  245: 'JSON',
  247: 'ENUM',
  248: 'SET',
  255: 'GEOMETRY',
};
/** Integer type codes → bits: INT8 … INT64, UINT8 … UINT64 when unsigned. */
const INTEGER_BITS: Record<number, number> = { 1: 8, 2: 16, 9: 24, 3: 32, 8: 64 };
/** String type codes → [text type, binary type]: the binary charset (63) decides. */
const STRING_TYPES: Record<number, [string, string]> = {
  15: ['VARCHAR', 'VARBINARY'],
  253: ['VARCHAR', 'VARBINARY'],
  254: ['CHAR', 'BINARY'],
  249: ['TEXT', 'BLOB'],
  250: ['TEXT', 'BLOB'],
  251: ['TEXT', 'BLOB'],
  252: ['TEXT', 'BLOB'],
};

/**
 * A column's Vitess type name. MariaDB stores JSON as LONGTEXT and names the
 * JSON format only in its extended metadata; reporting it as JSON makes the
 * driver parse it as it would on PlanetScale's MySQL.
 */
function vitessType(
  code: number,
  flags: number,
  charset: number | undefined,
  extendedFormat?: string,
): string {
  if (extendedFormat === 'json') return 'JSON';
  // ENUM and SET columns arrive as CHAR (254) with a flag.
  if (flags & Flag.enum) return 'ENUM';
  if (flags & Flag.set) return 'SET';
  const fixed = FIXED_TYPES[code];
  if (fixed) return fixed;
  const bits = INTEGER_BITS[code];
  if (bits) return `${flags & Flag.unsigned ? 'UINT' : 'INT'}${bits}`;
  const strings = STRING_TYPES[code];
  if (strings) return charset === BINARY_CHARSET ? strings[1] : strings[0];
  return 'EXPRESSION';
}

function nonZero(counter: number): string | undefined {
  return counter === 0 ? undefined : String(counter);
}

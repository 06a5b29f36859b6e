/**
 * A MySQL error as PlanetScale reports it: HTTP 200 with
 * `error: {code, message}`, where `code` is the Vitess RPC code vttablet
 * derives from the MySQL error number and `message` keeps the MySQL text
 * with "(errno N) (sqlstate S)", which applications match on.
 */
export interface VitessError {
  code: string;
  message: string;
}

/** MySQL errno → Vitess code, for the errors applications handle (vttablet's convertErrorCode). */
const CODES: Record<number, string> = {
  1062: 'ALREADY_EXISTS', // duplicate entry
  1205: 'DEADLINE_EXCEEDED', // lock wait timeout
  1213: 'ABORTED', // deadlock: retry the transaction
  1146: 'NOT_FOUND', // no such table
  1054: 'INVALID_ARGUMENT', // unknown column
  1064: 'INVALID_ARGUMENT', // syntax error
  1048: 'INVALID_ARGUMENT', // column cannot be null
  1264: 'INVALID_ARGUMENT', // out of range
  1366: 'INVALID_ARGUMENT', // incorrect value
  1406: 'INVALID_ARGUMENT', // data too long
  3140: 'INVALID_ARGUMENT', // invalid JSON (MySQL)
  4025: 'INVALID_ARGUMENT', // CHECK constraint failed (MariaDB's JSON_VALID)
};

export function toVitessError(error: unknown): VitessError {
  const { errno, sqlState, sqlMessage, message } = error as {
    errno?: number;
    sqlState?: string;
    sqlMessage?: string;
    message?: string;
  };
  if (typeof errno !== 'number' || !sqlMessage) {
    // Not an error the server answered (connection lost, pool closed, ...).
    return { code: 'UNAVAILABLE', message: `database unavailable: ${message ?? String(error)}` };
  }
  return {
    code: CODES[errno] ?? 'UNKNOWN',
    message: `${sqlMessage} (errno ${errno}) (sqlstate ${sqlState})`,
  };
}

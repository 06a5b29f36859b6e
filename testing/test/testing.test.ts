import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { startMariaDb, startRedis, tcpProbe } from '../src/index.ts';

// The real servers that every package's suites build on (testing/).
const answersPong = (received: Buffer) => received.toString().startsWith('+PONG');

describe('startRedis', () => {
  it('starts a redis-server on a free loopback port, and stop() ends it', async () => {
    const redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await tcpProbe(redis.port, 'PING\r\n', answersPong)).toBe(true);
    await redis.stop();
    await expect(tcpProbe(redis.port, 'PING\r\n', answersPong)).rejects.toThrow(/ECONNREFUSED/);
  }, 30_000);

  it("fails with the server's own complaint when it cannot start", async () => {
    await expect(startRedis({ args: ['--no-such-directive', 'x'] })).rejects.toThrow(
      /Bad directive or wrong number/,
    );
  }, 30_000);
});

describe('startMariaDb', () => {
  it('starts MariaDB with the requested databases, reachable as root over TCP', async () => {
    const mariadb = await startMariaDb({ databases: ['alpha', 'beta'] });
    try {
      const connection = await createConnection({
        host: mariadb.host,
        port: mariadb.port,
        user: mariadb.user,
      });
      const [rows] = await connection.query<{ Database: string }[] & import('mysql2').RowDataPacket[]>(
        'SHOW DATABASES',
      );
      await connection.end();
      expect(rows.map((row) => row.Database)).toEqual(expect.arrayContaining(['alpha', 'beta']));
    } finally {
      await mariadb.stop();
    }
    await expect(tcpProbe(mariadb.port, undefined, () => true)).rejects.toThrow(/ECONNREFUSED/);
  }, 30_000);

  it("fails with the server's own complaint when it cannot start", async () => {
    await expect(startMariaDb({ args: ['--no-such-option'] })).rejects.toThrow(
      /unknown option '--no-such-option'/,
    );
  }, 30_000);
});

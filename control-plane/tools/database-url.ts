import { Client } from '@planetscale/database';

/**
 * The database the command-line tools work on, from DATABASE_URL: a
 * PlanetScale connection URL (https://USERNAME:PASSWORD@HOST) or the local
 * simulator's (http://USERNAME:PASSWORD@127.0.0.1:PORT).
 */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): Client {
  const url = env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: give a PlanetScale URL (https://USERNAME:PASSWORD@HOST) or the simulator URL it prints',
    );
  }
  return new Client({ url });
}

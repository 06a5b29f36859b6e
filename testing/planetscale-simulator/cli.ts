/**
 * Runs the PlanetScale HTTP simulator in front of a local MySQL or MariaDB:
 *
 *   node testing/planetscale-simulator/cli.ts --mysql mysql://root@127.0.0.1:3306/groupcall \
 *     [--port 3900] [--host 127.0.0.1] [--username dev] [--password dev]
 *
 * (or SIMULATOR_MYSQL_URL, SIMULATOR_PORT, SIMULATOR_HOST, SIMULATOR_USERNAME,
 * SIMULATOR_PASSWORD). Prints the DATABASE_URL to give the control plane.
 */
import { parseArgs } from 'node:util';
import { startPlanetScaleSimulator } from './simulator.ts';

const { values } = parseArgs({
  options: {
    mysql: { type: 'string', default: process.env.SIMULATOR_MYSQL_URL },
    port: { type: 'string', default: process.env.SIMULATOR_PORT ?? '3900' },
    host: { type: 'string', default: process.env.SIMULATOR_HOST ?? '127.0.0.1' },
    username: { type: 'string', default: process.env.SIMULATOR_USERNAME ?? 'dev' },
    password: { type: 'string', default: process.env.SIMULATOR_PASSWORD ?? 'dev' },
  },
});

if (!values.mysql) {
  console.error('planetscale-simulator: --mysql mysql://USER[:PASSWORD]@HOST:PORT/DATABASE is required');
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`planetscale-simulator: --port must be a TCP port, got ${values.port}`);
  process.exit(2);
}

const simulator = await startPlanetScaleSimulator({
  mysql: { uri: values.mysql },
  host: values.host,
  port,
  username: values.username,
  password: values.password,
});
console.log(`planetscale-simulator listening; DATABASE_URL=${simulator.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    simulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('planetscale-simulator: stop failed', error);
        process.exit(1);
      },
    );
  });
}

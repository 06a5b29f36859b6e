import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/**
 * What a benchmark ran on, for its report: "4 cores (Intel …), 15.6 GiB,
 * node v24…, load average 0.3". The load average tells whether something
 * else was competing for the cores (on a shared machine it often is).
 */
export function machineSummary(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  const [load] = loadavg();
  return (
    `${availableParallelism()} cores (${model}), ${memoryGiB} GiB, node ${process.version}, ` +
    `load average ${load?.toFixed(1)}`
  );
}

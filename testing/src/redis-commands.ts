import type { Redis } from 'ioredis';

/** Commands Redis ran while `work` did, counted by name. */
export interface RedisCommandCounts {
  /** Sent by clients: each one is a round trip (a script counts once). */
  roundTrips: Record<string, number>;
  /** Run by Lua scripts, inside those round trips. */
  inScripts: Record<string, number>;
}

/**
 * Counts the commands Redis runs while `work` runs, with MONITOR on a
 * connection of its own (`admin` is used only to open it and to send the end
 * marker). MONITOR sees every client, so nothing else should be talking to
 * this Redis meanwhile; it also slows Redis down, so never time anything
 * while counting.
 */
export async function countRedisCommands(
  admin: Redis,
  work: () => Promise<unknown>,
): Promise<RedisCommandCounts> {
  const monitor = await admin.monitor();
  const roundTrips: Record<string, number> = {};
  const inScripts: Record<string, number> = {};
  const endMarker = `count-end-${process.pid}-${Date.now()}`;
  let markerSeen: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    markerSeen = resolve;
  });
  monitor.on('monitor', (_time: string, command: string[], source: string) => {
    if (command[1] === endMarker) return markerSeen();
    const tally = source === 'lua' ? inScripts : roundTrips;
    const name = String(command[0]).toLowerCase();
    tally[name] = (tally[name] ?? 0) + 1;
  });
  try {
    await work();
    // MONITOR reports in execution order: once the marker shows, every command of `work` has.
    await admin.echo(endMarker);
    await ended;
  } finally {
    monitor.disconnect();
  }
  return { roundTrips, inScripts };
}

/** The total of a tally. */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

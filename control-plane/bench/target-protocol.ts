import type { GroupSize } from './bench-groups.ts';

/** What the benchmark tells its target process (as JSON in BENCH_TARGET). */
export interface TargetSettings {
  redisUrl: string;
  /** PlanetScale HTTP URL; without it the in-memory directory with generated groups. */
  databaseUrl: string | undefined;
  pools: Record<GroupSize, number>;
  accessTokenSecret: string;
  podServiceSecret: string;
}

/** First IPC message from the target: where its servers listen. */
export interface TargetReady {
  apiPort: number;
  helloPort: number;
}

/** The target's answer to any later message: its counters so far. */
export interface TargetCounters {
  /** Directory method calls (conversationMembers, membership). */
  directoryCalls: number;
  /** SQL statements sent to PlanetScale (only with the PlanetScale directory). */
  sqlStatements: number | undefined;
  /** Device tokens handed to the push sender. */
  pushTokens: number;
}

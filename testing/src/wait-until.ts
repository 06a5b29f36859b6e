import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns true, within a deadline. Tests use it
 * instead of fixed sleeps: they wait exactly as long as a server needs to
 * become ready, and fail with a clear message when it never does.
 */
export interface WaitOptions {
  /** What is awaited, for the error message ("redis on port 6379 answers PING"). */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Checked before every probe: an error here (say, "the server exited") ends the wait at once. */
  failFast?: () => Error | undefined;
}

export async function waitUntil(probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const { description, timeoutMs = 15_000, intervalMs = 25, failFast } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const fatal = failFast?.();
    if (fatal) throw fatal;
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}${cause}`);
}

/**
 * Last-resort cleanup for servers and temp dirs that tests start. A test
 * normally stops what it started; these hooks cover the cases where it
 * cannot (a crash, a timeout, Ctrl-C), so no mariadbd or redis-server
 * outlives the test process and no data directory is left behind.
 * Cleanups must be synchronous: nothing asynchronous runs during 'exit'.
 */
type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
let installed = false;

/** Registers `cleanup` to run when the process exits; the returned function unregisters it. */
export function onProcessExit(cleanup: Cleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

function runAll(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Best effort: one failed cleanup must not prevent the others.
    }
  }
  cleanups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      // Listening to a signal cancels Node's default "terminate"; restore it
      // unless someone else (the test runner) handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

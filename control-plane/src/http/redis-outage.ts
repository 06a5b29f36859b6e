/**
 * Whether an error means Redis cannot serve us right now, as opposed to a
 * bug: the request deserves a 503 and a retry, not a 500. ioredis does not
 * export its error classes from the package root, so they are recognised by
 * name and message (all pinned by ioredis 6):
 *
 * - MaxRetriesPerRequestError: Redis stayed unreachable through the retries
 *   (connectRedis allows 2), the usual outage;
 * - "Connection is closed." / "Command aborted due to connection close": the
 *   connection dropped with the command pending;
 * - "Stream isn't writeable …": offline with the offline queue disabled;
 * - "Command timed out": Redis hangs (connectRedis sets a command timeout);
 * - reply errors Redis gives while it cannot serve: loading its data after a
 *   restart, a read-only replica during failover, and the like.
 */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (error.name === 'ReplyError') return transientReplies.some((prefix) => error.message.startsWith(prefix));
  return outageMessages.some((message) => error.message.startsWith(message));
}

const outageMessages = [
  'Connection is closed.',
  'Command aborted due to connection close',
  "Stream isn't writeable",
  'Command timed out',
];

const transientReplies = ['LOADING ', 'READONLY ', 'MASTERDOWN ', 'TRYAGAIN ', 'CLUSTERDOWN '];

/**
 * What trusting `join(userId)` means for a server listening on `host`:
 * nothing beyond this machine when it is loopback; otherwise a warning
 * for the log, in words a developer acts on.
 */
export function trustWarning(host: string, port: number): string | undefined {
  if (isLoopback(host)) return undefined;
  return (
    `join(userId) is trusted and this server listens on ${host}:${port}: anyone who can reach it ` +
    'can join any call as any user, and get an access token for any user at /dev/token. ' +
    'Use it only on a network you trust, or leave HOST unset (127.0.0.1).'
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

import { z } from 'zod';

/**
 * Signing in, as far as the demo goes: POST /dev/token stands in for the
 * Threads backend's login and hands out an access token (a JWT) for the
 * picked user. Development only: the embedded server has that route, a
 * production deployment does not.
 */
const DevTokenSchema = z.object({ token: z.string().min(1) });
const ErrorBodySchema = z.object({ error: z.object({ message: z.string() }) });

export async function fetchDevToken(userId: string): Promise<string> {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const failure = ErrorBodySchema.safeParse(body);
    throw new Error(failure.success ? failure.data.error.message : `HTTP ${response.status}`);
  }
  const parsed = DevTokenSchema.safeParse(body);
  if (!parsed.success) throw new Error('The server sent no token');
  return parsed.data.token;
}

/** The signed-in user of this tab survives a reload (as an app stays logged in), not a new tab. */
const storageKey = 'groupcall-demo-user';

export function rememberedUserId(): string | undefined {
  return sessionStorage.getItem(storageKey) ?? undefined;
}

export function rememberUser(userId: string | undefined): void {
  if (userId === undefined) sessionStorage.removeItem(storageKey);
  else sessionStorage.setItem(storageKey, userId);
}

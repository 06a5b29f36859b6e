/**
 * Where users' FCM registration tokens live, as far as push delivery needs:
 * FCM says a token is dead (the app was uninstalled, the token rotated), so
 * it is removed and never sent to again. PlanetScaleDirectory implements it.
 */
export interface TokenStore {
  /** Removes these tokens from the user's devices; resolves to how many were there. */
  removeFcmTokens(userId: string, tokens: readonly string[]): Promise<number>;
}

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined when
 * the header is absent or uses another scheme. The scheme is case-insensitive
 * (RFC 7235).
 */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(authorization ?? '');
  return match?.[1];
}

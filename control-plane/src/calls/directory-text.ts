import { FieldLimit } from '@groupcall/shared/protocol';

/**
 * Names and avatar URLs come from the directory, which other systems write:
 * they are cleaned before they go into call state, tickets and events, so a
 * bad row (a 300-character name, a newline, a bidi override) can never make
 * a call's stored state invalid for everyone in the group.
 */

// C0/C1 controls (newlines, escapes, NUL) and the bidirectional overrides and
// isolates that reorder what people see; emoji joiners are left alone.
const unsafeCharacters = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;
const unsafeOrSpace = /[\p{Cc}\u202A-\u202E\u2066-\u2069\s]/u;

/** The name without control characters, at most FieldLimit.nameLength; `fallback` when nothing is left. */
export function cleanDisplayName(raw: string | null | undefined, fallback: string): string {
  const cleaned = (raw ?? '').replace(unsafeCharacters, '').trim();
  if (!cleaned) return fallback;
  return truncate(cleaned, FieldLimit.nameLength);
}

/** An avatar URL that fits the protocol, else null (clients show initials). */
export function cleanAvatarUrl(url: string | null): string | null {
  if (!url || url.length > FieldLimit.urlLength) return null;
  return unsafeOrSpace.test(url) ? null : url;
}

/** At most `maxLength` UTF-16 units (what the schemas count), never splitting a surrogate pair. */
function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = maxLength;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

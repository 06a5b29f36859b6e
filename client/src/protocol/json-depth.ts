/**
 * How deeply a JSON text nests arrays and objects, measured on the text
 * itself in one loop (no recursion, no parse), so a hostile body such as
 * 30,000 `[` is refused before anything walks it. Brackets inside strings
 * do not count. Stops counting once `limit` is passed.
 */
export function jsonNestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === backslash) i++;
      else if (char === quote) inString = false;
      continue;
    }
    if (char === quote) inString = true;
    else if (char === openBracket || char === openBrace) {
      depth++;
      if (depth > limit) return true;
    } else if (char === closeBracket || char === closeBrace) depth--;
  }
  return false;
}

/** Request and event payloads are flat records; anything nested deeper than this is refused. */
export const maxJsonNesting = 16;

const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const openBrace = 0x7b;
const closeBrace = 0x7d;

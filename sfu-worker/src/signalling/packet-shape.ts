/**
 * Size and nesting depth of a raw Socket.IO packet, measured on the string
 * before anything parses or walks it: one pass, no recursion, so a payload
 * nested 30,000 deep costs as little as a flat one of the same length.
 */
export interface PacketShape {
  bytes: number;
  /** Deepest nesting of JSON arrays and objects (`[1]` is 1); brackets inside strings don't count. */
  depth: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

export function measurePacket(raw: string): PacketShape {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (OPENERS.has(code)) deepest = Math.max(deepest, ++depth);
    else if (CLOSERS.has(code)) depth--;
  }
  return { bytes: Buffer.byteLength(raw), depth: deepest };
}

import { Decoder, Encoder } from 'socket.io-parser';
import { measurePacket, type PacketShape } from './packet-shape.ts';

/**
 * The event an oversized or too deeply nested message is turned into, so
 * that its sender still gets an answer (`Payload too large`) on the ack it
 * asked for. Its payload is `{event, bytes, depth}`, for the log.
 */
export const REJECTED_PACKET_EVENT = 'groupcall:packet-rejected';

export interface PacketLimits {
  maxBytes: number;
  maxDepth: number;
}

export interface RejectedPacket extends PacketShape {
  /** The event name the sender used, when it is a plain short string. */
  event: string | undefined;
}

const EVENT_PACKET = '2';

/**
 * socket.io's parser, with every text packet measured before it is parsed:
 * an event over the limits reaches the server as REJECTED_PACKET_EVENT with
 * the sender's ack id (never its payload); any other packet over the limits
 * (a handshake, a binary event) is a protocol error that closes the
 * connection. engine.io's maxHttpBufferSize bounds what reaches this at all.
 */
export function guardedParser(limits: PacketLimits): { Encoder: typeof Encoder; Decoder: typeof Decoder } {
  class GuardedDecoder extends Decoder {
    override add(chunk: unknown): void {
      super.add(typeof chunk === 'string' ? screen(chunk, limits) : chunk);
    }
  }
  return { Encoder, Decoder: GuardedDecoder };
}

function screen(raw: string, limits: PacketLimits): string {
  const shape = measurePacket(raw);
  if (shape.bytes <= limits.maxBytes && shape.depth <= limits.maxDepth) return raw;
  if (raw[0] !== EVENT_PACKET) throw new Error('Payload too large');
  const start = payloadStart(raw);
  const event = /^\["([^"\\]{1,64})"/.exec(raw.slice(start, start + 70))?.[1];
  const rejected: RejectedPacket = { event, ...shape };
  return `${raw.slice(0, start)}${JSON.stringify([REJECTED_PACKET_EVENT, rejected])}`;
}

/** Where the JSON of an event packet starts: after its type, namespace (`/nsp,`) and ack id. */
function payloadStart(raw: string): number {
  let i = 1;
  if (raw[i] === '/') {
    const comma = raw.indexOf(',', i);
    if (comma < 0) throw new Error('Payload too large');
    i = comma + 1;
  }
  while (i < raw.length && raw.charCodeAt(i) >= 0x30 && raw.charCodeAt(i) <= 0x39) i++;
  return i;
}

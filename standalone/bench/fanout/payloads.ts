import { randomUUID } from 'node:crypto';
import { callerInfoOf, conversationInfoOf, participantInfoOf } from '@groupcall/control-plane/call-info';
import type { GroupCallIncoming, NewProducer } from '@groupcall/shared/protocol';

/** A conversation of the fan-out benchmark: its id is also its call room's. */
export interface Group {
  id: string;
  members: string[];
}

/** A user record with a name and an avatar URL, so payloads have realistic sizes. */
const user = (id: string) => ({
  id,
  name: `User ${id}`,
  avatar: `https://cdn.example.com/avatars/${id}.jpg`,
  fcmTokens: [],
});

/** group_call_incoming as initiating a call in `group` sends it (built with the product's helpers). */
export function incomingCall(group: Group): GroupCallIncoming {
  const caller = group.members[0] as string;
  return {
    callerId: caller,
    conversationId: group.id,
    callType: 'video',
    callerInfo: callerInfoOf(caller, user(caller)),
    conversationInfo: conversationInfoOf(group.id, { id: group.id, name: `Group ${group.id}`, avatar: null }),
  };
}

/** newProducer as Connection#produce sends it when the group's first member starts its camera. */
export function newProducer(group: Group, socketId: string): NewProducer {
  const producer = group.members[0] as string;
  return {
    producerId: randomUUID(),
    kind: 'video',
    socketId,
    participantInfo: participantInfoOf(producer, user(producer)),
  };
}

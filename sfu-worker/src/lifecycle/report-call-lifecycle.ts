import type { Logger } from '@groupcall/shared/logging';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { CallLifecycle } from './call-lifecycle.ts';

/**
 * Feeds a CallLifecycle from the rooms of this pod: participant counts on
 * every change. (`answered` and `ended` are reported by signalling, which
 * knows the user and when the members have been told.)
 */
export function reportRoomLifecycle(rooms: RoomRegistry, lifecycle: CallLifecycle, log: Logger): void {
  rooms.on('roomSizeChanged', (room) => {
    try {
      lifecycle.participants(room.id, room.callId, room.size);
    } catch (error) {
      log.warn(
        { conversationId: room.id, callId: room.callId, err: (error as Error).message, what: 'participants' },
        'call lifecycle report failed',
      );
    }
  });
}

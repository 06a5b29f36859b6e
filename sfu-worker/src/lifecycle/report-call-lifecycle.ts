import type { Logger } from '@groupcall/shared/logging';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { CallLifecycle } from './call-lifecycle.ts';

/**
 * Feeds a CallLifecycle from the rooms of this pod: participant counts on
 * every change. (`answered` and `ended` are reported by signalling, which
 * knows the user and when the members have been told.)
 */
export function reportRoomLifecycle(rooms: RoomRegistry, lifecycle: CallLifecycle, log: Logger): void {
  const safely = (what: string, report: () => void) => {
    try {
      report();
    } catch (error) {
      log.warn({ err: (error as Error).message, what }, 'call lifecycle report failed');
    }
  };
  rooms.on('roomSizeChanged', (room) =>
    safely('participants', () => lifecycle.participants(room.id, room.callId, room.size)),
  );
}

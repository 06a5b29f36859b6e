import { userRoom } from '@groupcall/shared/calls';
import type { OnlineUsersWriter } from '@groupcall/shared/presence';
import type { Server as SocketServer } from 'socket.io';

/**
 * Keeps OnlineUsers current from this pod's Socket.IO user rooms: a device
 * that sent `join` is in its user's room, so the room's creation and deletion
 * are exactly "the user's first device here connected" and "the last one left".
 */
export function feedOnlineUsers(io: SocketServer, users: OnlineUsersWriter): void {
  const prefix = userRoom('');
  const userIdOf = (room: unknown) =>
    typeof room === 'string' && room.startsWith(prefix) ? room.slice(prefix.length) : undefined;
  const adapter = io.of('/').adapter;
  adapter.on('create-room', (room: unknown) => {
    const userId = userIdOf(room);
    if (userId) users.online(userId);
  });
  adapter.on('delete-room', (room: unknown) => {
    const userId = userIdOf(room);
    if (userId) users.offline(userId);
  });
}

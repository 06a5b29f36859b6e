import { userRoom } from '@groupcall/shared/calls';
import type { RunningServer } from '../../src/server.ts';

/**
 * The ids of the sockets the embedded server has registered for a user (its
 * user room). A demo page's `join` has no ack: a test that rings a user first
 * waits until the page's socket is here, or the ring can go out before it.
 */
export async function registeredSockets(server: RunningServer, userId: string): Promise<string[]> {
  return (await server.io.in(userRoom(userId)).fetchSockets()).map((socket) => socket.id);
}

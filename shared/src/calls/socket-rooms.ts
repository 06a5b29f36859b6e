/**
 * Socket.IO room names. User and call rooms are prefixed so a user id can
 * never collide with a conversation id; the names are server-internal (never
 * on the wire) but every pod and the control plane's emitter must agree.
 */
export const userRoom = (userId: string): string => `user:${userId}`;
export const callRoom = (conversationId: string): string => `call:${conversationId}`;

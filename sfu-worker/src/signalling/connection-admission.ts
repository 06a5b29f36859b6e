import { CallError } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import { ErrorMessage } from '@groupcall/shared/protocol';
import type { Socket } from 'socket.io';
import type { SfuConfig } from '../config.ts';

type AdmissionLimits = Pick<
  SfuConfig['limits'],
  'authTimeoutMs' | 'maxUnauthenticatedSocketsPerIp' | 'maxDevicesPerUser'
>;

interface Admitted {
  address: string;
  /** Set once the socket authenticated (handshake token, or join in the embedded default). */
  userId?: string;
  deadline?: NodeJS.Timeout;
}

/**
 * Which sockets this server keeps: an anonymous socket must authenticate
 * within a deadline, and there are only so many anonymous sockets per
 * address; an authenticated user has only so many devices here. Each
 * refusal is told to the client (`group_call_error`) before it is dropped,
 * or thrown as a CallError where a request can answer it.
 */
export class ConnectionAdmission {
  readonly #limits: AdmissionLimits;
  readonly #log: Logger;
  readonly #sockets = new Map<string, Admitted>();
  readonly #anonymousPerAddress = new Map<string, number>();
  readonly #devicesPerUser = new Map<string, number>();

  constructor(limits: AdmissionLimits, log: Logger) {
    this.#limits = limits;
    this.#log = log.child({ component: 'admission' });
  }

  /** A socket connected; `userId` is who its handshake authenticated, if anyone. */
  connected(socket: Socket, userId: string | undefined): void {
    const address = socket.handshake.address;
    if (userId) {
      if (this.#deviceCount(userId) >= this.#limits.maxDevicesPerUser) {
        this.#refuse(socket, ErrorMessage.tooManyDevices);
        return;
      }
      this.#track(socket, { address });
      this.#addDevice(socket.id, userId);
      return;
    }
    const anonymous = this.#anonymousPerAddress.get(address) ?? 0;
    if (anonymous >= this.#limits.maxUnauthenticatedSocketsPerIp) {
      this.#refuse(socket, ErrorMessage.tooManyUnauthenticated);
      return;
    }
    this.#anonymousPerAddress.set(address, anonymous + 1);
    const deadline = setTimeout(
      () => this.#refuse(socket, ErrorMessage.authenticationTimeout),
      this.#limits.authTimeoutMs,
    );
    deadline.unref();
    this.#track(socket, { address, deadline });
  }

  /** The socket's `join` named `userId` and was admitted: it becomes one of that user's devices. */
  authenticated(socketId: string, userId: string): void {
    const admitted = this.#sockets.get(socketId);
    if (!admitted || admitted.userId) return;
    if (this.#deviceCount(userId) >= this.#limits.maxDevicesPerUser)
      throw new CallError('conflict', ErrorMessage.tooManyDevices);
    clearTimeout(admitted.deadline);
    admitted.deadline = undefined;
    this.#releaseAnonymous(admitted.address);
    this.#addDevice(socketId, userId);
  }

  #track(socket: Socket, admitted: Admitted): void {
    this.#sockets.set(socket.id, admitted);
    socket.once('disconnect', () => this.#forget(socket.id));
  }

  #forget(socketId: string): void {
    const admitted = this.#sockets.get(socketId);
    if (!admitted) return;
    this.#sockets.delete(socketId);
    clearTimeout(admitted.deadline);
    if (!admitted.userId) {
      this.#releaseAnonymous(admitted.address);
      return;
    }
    const left = this.#deviceCount(admitted.userId) - 1;
    if (left > 0) this.#devicesPerUser.set(admitted.userId, left);
    else this.#devicesPerUser.delete(admitted.userId);
  }

  #addDevice(socketId: string, userId: string): void {
    const admitted = this.#sockets.get(socketId);
    if (admitted) admitted.userId = userId;
    this.#devicesPerUser.set(userId, this.#deviceCount(userId) + 1);
  }

  #releaseAnonymous(address: string): void {
    const left = (this.#anonymousPerAddress.get(address) ?? 1) - 1;
    if (left > 0) this.#anonymousPerAddress.set(address, left);
    else this.#anonymousPerAddress.delete(address);
  }

  #deviceCount(userId: string): number {
    return this.#devicesPerUser.get(userId) ?? 0;
  }

  #refuse(socket: Socket, message: string): void {
    this.#log.info(
      { socketId: socket.id, address: socket.handshake.address, reason: message },
      'socket refused',
    );
    socket.emit('group_call_error', { message });
    socket.disconnect(true);
  }
}

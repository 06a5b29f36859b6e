import type { Logger } from '@groupcall/shared/logging';
import { type PodRecord, type RedisPodRegistry, registryTiming } from '@groupcall/shared/placement';
import type { PodLoadSampler } from './pod-load.ts';

/** A call this pod hosts: assignments are per conversation, logs name the call. */
export interface HostedCall {
  conversationId: string;
  callId: string;
}

export interface PodIdentity {
  podName: string;
  url: string;
  path: string;
  announcedIp: string;
  /** Participants this pod accepts in total. */
  capacity: number;
}

/**
 * Publishes this pod to the Redis registry every heartbeat, and keeps the
 * assignments of the calls it hosts alive. A failed heartbeat is logged once
 * (not every 2 s) and retried on the next beat; when Redis returns the pod
 * re-registers by itself. Nothing here can end a running call.
 */
export class PodHeartbeat {
  readonly #registry: RedisPodRegistry;
  readonly #identity: PodIdentity;
  readonly #load: Pick<PodLoadSampler, 'sample'>;
  readonly #hostedCalls: () => HostedCall[];
  readonly #state: () => PodRecord['state'];
  readonly #onCallMoved: (conversationId: string, host: string) => void;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #lastSuccessAt = 0;
  #failing = false;

  constructor(options: {
    registry: RedisPodRegistry;
    identity: PodIdentity;
    load: Pick<PodLoadSampler, 'sample'>;
    hostedCalls: () => HostedCall[];
    state: () => PodRecord['state'];
    /** A call hosted here is now assigned to another live pod: the two halves must be joined again. */
    onCallMoved: (conversationId: string, host: string) => void;
    log: Logger;
  }) {
    this.#registry = options.registry;
    this.#identity = options.identity;
    this.#load = options.load;
    this.#hostedCalls = options.hostedCalls;
    this.#state = options.state;
    this.#onCallMoved = options.onCallMoved;
    this.#log = options.log.child({ component: 'heartbeat' });
  }

  /** Registered recently enough that the control plane sees this pod. */
  get registered(): boolean {
    return Date.now() - this.#lastSuccessAt < registryTiming.podTtlMs;
  }

  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => void this.beat(), registryTiming.heartbeatMs);
    this.#timer.unref();
  }

  /** One heartbeat now (also called on state changes so draining shows at once). */
  async beat(): Promise<void> {
    try {
      const load = await this.#load.sample();
      await this.#registry.publish({
        ...this.#identity,
        ...load,
        state: this.#state(),
        updatedAt: Date.now(),
      });
      const hosted = this.#hostedCalls();
      const callIds = new Map(hosted.map((call) => [call.conversationId, call.callId]));
      const moved = await this.#registry.refresh(
        hosted.map((call) => call.conversationId),
        this.#identity.podName,
      );
      for (const { conversationId, host } of moved) {
        this.#log.warn(
          { conversationId, callId: callIds.get(conversationId), host },
          'call now hosted by another pod: moving its devices there',
        );
        this.#onCallMoved(conversationId, host);
      }
      this.#lastSuccessAt = Date.now();
      if (this.#failing) this.#log.info('registry reachable again: pod re-registered');
      this.#failing = false;
    } catch (error) {
      if (!this.#failing)
        this.#log.error({ err: (error as Error).message }, 'heartbeat failed: registry unreachable');
      this.#failing = true;
    }
  }

  /** Stops beating and removes the pod from the registry (after draining). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#registry.remove(this.#identity.podName).catch(() => undefined);
  }
}

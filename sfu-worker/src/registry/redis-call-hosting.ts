import { CallError } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import type { RedisPodRegistry } from '@groupcall/shared/placement';
import { ErrorMessage } from '@groupcall/shared/protocol';
import type { CallHosting } from './call-hosting.ts';

/** The client reached the wrong pod: the error names the endpoint to connect to instead. */
function hostedElsewhere(endpoint: { url: string; path: string }): CallError {
  return new CallError('conflict', `${ErrorMessage.hostedElsewhere}: ${endpoint.url}${endpoint.path}`, {
    endpoint,
  });
}

/**
 * Call hosting through the Redis placement: a pod claims a call when a
 * device enters it (unless another live pod hosts it) and releases it when
 * the call ends. When Redis is unreachable new calls are refused with a clear
 * error; calls already running need nothing from Redis and go on.
 */
export class RedisCallHosting implements CallHosting {
  readonly #registry: RedisPodRegistry;
  readonly #podName: string;
  readonly #log: Logger;

  constructor(registry: RedisPodRegistry, podName: string, log: Logger) {
    this.#registry = registry;
    this.#podName = podName;
    this.#log = log.child({ component: 'call-hosting' });
  }

  async claim(conversationId: string, callId: string): Promise<void> {
    let host: string;
    try {
      host = await this.#registry.claim(conversationId, this.#podName);
    } catch (error) {
      this.#log.error(
        { conversationId, callId, err: (error as Error).message },
        'cannot claim call: registry unreachable',
      );
      throw new CallError('unavailable', ErrorMessage.placementUnavailable);
    }
    if (host === this.#podName) return;
    const pod = await this.#registry.pod(host);
    if (!pod) throw new CallError('unavailable', ErrorMessage.placementUnavailable);
    throw hostedElsewhere({ url: pod.url, path: pod.path });
  }

  async release(conversationId: string, callId: string): Promise<void> {
    try {
      await this.#registry.release(conversationId, this.#podName);
    } catch (error) {
      // The assignment expires by itself once this pod stops refreshing it.
      this.#log.warn(
        { conversationId, callId, err: (error as Error).message },
        'could not release call assignment',
      );
    }
  }
}

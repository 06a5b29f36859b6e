import { CallError } from '@groupcall/shared/calls';
import { type LostCall, noMediaServerMessage, type Placement, type PodEndpoint } from './placement.ts';

/**
 * The embedded default: a fixed list of pods, assignments held in this
 * process, each new call going to the pod with the fewest calls. Correct only
 * with one control-plane replica (replicas would not see each other's
 * assignments); the Redis placement replaces it in production.
 */
export class InMemoryPlacement implements Placement {
  readonly #endpoints: readonly PodEndpoint[];
  readonly #assignments = new Map<string, PodEndpoint>();
  readonly #callsPerPod = new Map<string, number>();

  constructor(endpoints: readonly PodEndpoint[]) {
    this.#endpoints = endpoints;
    for (const { podName } of endpoints) this.#callsPerPod.set(podName, 0);
  }

  async assign(conversationId: string): Promise<PodEndpoint> {
    const current = this.#assignments.get(conversationId);
    if (current) return current;
    const endpoint = this.#leastLoaded();
    if (!endpoint) throw new CallError('unavailable', noMediaServerMessage);
    this.#assignments.set(conversationId, endpoint);
    this.#callsPerPod.set(endpoint.podName, this.#calls(endpoint) + 1);
    return endpoint;
  }

  async release(conversationId: string, podName?: string): Promise<void> {
    const endpoint = this.#assignments.get(conversationId);
    if (!endpoint || (podName !== undefined && endpoint.podName !== podName)) return;
    this.#assignments.delete(conversationId);
    this.#callsPerPod.set(endpoint.podName, this.#calls(endpoint) - 1);
  }

  /** Its pods live in this process: none is ever lost without the control plane. */
  async lostCalls(): Promise<LostCall[]> {
    return [];
  }

  #leastLoaded(): PodEndpoint | undefined {
    let best: PodEndpoint | undefined;
    for (const endpoint of this.#endpoints) {
      if (!best || this.#calls(endpoint) < this.#calls(best)) best = endpoint;
    }
    return best;
  }

  #calls(endpoint: PodEndpoint): number {
    return this.#callsPerPod.get(endpoint.podName) ?? 0;
  }
}

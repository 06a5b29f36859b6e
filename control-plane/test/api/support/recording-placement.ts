import { InMemoryPlacement } from '../../../src/placement/in-memory-placement.ts';
import type { LostCall, Placement, PodEndpoint } from '../../../src/placement/placement.ts';
import { pods } from './control-plane.ts';

/** In-memory placement over the test pods that remembers every release. */
export class RecordingPlacement implements Placement {
  readonly released: { conversationId: string; podName: string | undefined }[] = [];
  readonly #placement = new InMemoryPlacement(pods);

  assign(conversationId: string): Promise<PodEndpoint> {
    return this.#placement.assign(conversationId);
  }

  release(conversationId: string, podName?: string): Promise<void> {
    this.released.push({ conversationId, podName });
    return this.#placement.release(conversationId, podName);
  }

  lostCalls(): Promise<LostCall[]> {
    return this.#placement.lostCalls();
  }
}

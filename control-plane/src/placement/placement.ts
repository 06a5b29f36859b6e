import type { SfuEndpoint } from '@groupcall/shared/protocol';

/** Where clients reach one sfu-worker pod (the wire's SfuEndpoint), and which pod it is. */
export interface PodEndpoint extends SfuEndpoint {
  /** The pod's name; tickets are bound to it. */
  podName: string;
}

/**
 * Decides which sfu-worker hosts each call. A call lives on exactly one pod,
 * so every member must be sent to the same one while it lasts.
 */
export interface Placement {
  /**
   * The pod hosting the call: its current assignment if the pod is still
   * there, else a newly chosen pod. Rejects with CallError 'unavailable' when
   * no pod can take the call.
   */
  assign(conversationId: string): Promise<PodEndpoint>;
  /**
   * Forgets the assignment once the call has ended (reported by the
   * sfu-worker). With `podName` (the pod that reported it), only if the call
   * is still assigned to that pod, so a late report cannot unplace a newer
   * call that went to another pod.
   */
  release(conversationId: string, podName?: string): Promise<void>;
  /**
   * Calls placed on a pod that stopped heartbeating (killed, crashed): they
   * cannot go on there. Several replicas may see the same call; ending it by
   * its callId makes sure members hear it once.
   */
  lostCalls(): Promise<LostCall[]>;
}

export interface LostCall {
  conversationId: string;
  callId: string;
  podName: string;
}

/** What clients are told when no pod can take a call (all full, draining, or none registered). */
export const noMediaServerMessage = 'No media server is available, try again';

/**
 * What a composition other than the pod (the standalone product, benchmarks)
 * builds an sfu-worker from: the node itself and the parts that differ
 * between compositions. Exported as `@groupcall/sfu-worker/composition`.
 */
export type { CallAccess } from './access/call-access.ts';
export { TicketCallAccess } from './access/ticket-call-access.ts';
export { loadConfig, type SfuConfig } from './config.ts';
export { ControlPlaneClient } from './control-plane-client/control-plane-client.ts';
export { ControlPlaneLifecycle } from './lifecycle/control-plane-lifecycle.ts';
export { routerMediaCodecs } from './media/codecs.ts';
export type { MediaWorkerPool } from './media/media-worker-pool.ts';
export { ProducerPipes } from './media/producer-pipes.ts';
export {
  cachedWorkerPath,
  loadMediasoup,
  mediasoupVersion,
  readWorkerBuildRecord,
  resolveWorkerBinary,
  workerCacheRoot,
} from './media/worker-binary.ts';
export { useRedisAdapter } from './redis/redis-clients.ts';
export { type CallHosting, hostEverything } from './registry/call-hosting.ts';
export { LayerDemand } from './rooms/layer-demand.ts';
export type { RoomRegistry } from './rooms/room-registry.ts';
export { type SfuNode, type SfuNodeParts, startSfuNode } from './sfu-node.ts';
export { ControlPlaneCallInitiator } from './signalling/control-plane-call-initiator.ts';
export { authenticateHandshakes } from './signalling/handshake-auth.ts';
export {
  type IdentityPolicy,
  requireAuthenticatedIdentity,
  trustClaimedIdentity,
} from './signalling/identity.ts';
export { createSocketServer } from './signalling/signalling-server.ts';
export { SocketIoNotifier } from './signalling/socket-notifier.ts';

import { createAccessTokenVerifier } from '@groupcall/shared/auth';
import { RedisCallStateStore } from '@groupcall/shared/call-state';
import type { Logger } from '@groupcall/shared/logging';
import { RedisPodRegistry } from '@groupcall/shared/placement';
import { signServiceToken } from '@groupcall/shared/tickets';
import { TicketCallAccess } from './access/ticket-call-access.ts';
import { loadConfig } from './config.ts';
import { ControlPlaneClient } from './control-plane-client/control-plane-client.ts';
import { ControlPlaneLifecycle } from './lifecycle/control-plane-lifecycle.ts';
import { resolveAnnouncedIp } from './node-info/announced-ip.ts';
import { KubernetesNodeReader } from './node-info/kubernetes-node-reader.ts';
import { loadPodConfig } from './pod-config.ts';
import { connectRedis, useRedisAdapter } from './redis/redis-clients.ts';
import { PodHeartbeat } from './registry/pod-heartbeat.ts';
import { PodLoadSampler } from './registry/pod-load.ts';
import { RedisCallHosting } from './registry/redis-call-hosting.ts';
import { RedisOnlineUsers } from './registry/redis-online-users.ts';
import { type SfuNode, startSfuNode } from './sfu-node.ts';
import { ControlPlaneCallInitiator } from './signalling/control-plane-call-initiator.ts';
import { authenticateHandshakes } from './signalling/handshake-auth.ts';
import { requireAuthenticatedIdentity } from './signalling/identity.ts';

export interface Pod extends SfuNode {
  podName: string;
  heartbeat: PodHeartbeat;
  /** SIGTERM: drain (running calls go on until they end or the deadline), leave the registry, stop. */
  shutdown(): Promise<void>;
}

/**
 * A production sfu-worker pod: authenticated devices only, admission by
 * tickets and the shared call state, calls placed through Redis, user events
 * across pods through the Socket.IO Redis adapter, a heartbeat in the
 * registry, and the announced IP from the environment or the Node.
 */
export async function startPod(env: Record<string, string | undefined>, log: Logger): Promise<Pod> {
  const config = loadConfig(env);
  const pod = loadPodConfig(env);
  const announced = await resolveAnnouncedIp(
    {
      explicitIp: config.media.announcedIp,
      nodeName: pod.nodeName,
      allowPrivate: pod.allowPrivateIp,
      fallbackIp: config.media.listenIp === '0.0.0.0' ? '127.0.0.1' : config.media.listenIp,
    },
    () => new KubernetesNodeReader(),
  );
  config.media.announcedIp = announced.ip;
  log.info({ podName: pod.podName, announcedIp: announced.ip, source: announced.source }, 'announced IP');

  const redis = connectRedis(pod.redisUrl, log, 'registry', { commandTimeoutMs: pod.redisCommandTimeoutMs });
  const registry = new RedisPodRegistry(redis);
  const callState = new RedisCallStateStore(redis);
  const onlineUsers = new RedisOnlineUsers(redis, pod.podName, log);
  await onlineUsers.clear();
  const controlPlane = new ControlPlaneClient({
    baseUrl: pod.controlPlaneUrl,
    serviceToken: () => signServiceToken(pod.keys.serviceTokenKey, pod.podName),
  });
  const verifier = createAccessTokenVerifier(pod.auth);
  let adapterClients: { quit(): Promise<unknown> }[] = [];
  let heartbeat: PodHeartbeat | undefined;

  const node = await startSfuNode({
    config,
    log,
    socketPath: pod.socketPath,
    access: new TicketCallAccess({
      ticketKey: pod.keys.ticketPublicKey,
      podName: pod.podName,
      callState,
      controlPlane,
    }),
    identity: requireAuthenticatedIdentity,
    hosting: new RedisCallHosting(registry, pod.podName, log),
    lifecycle: new ControlPlaneLifecycle(callState, controlPlane, log),
    onlineUsers,
    initiator: () => new ControlPlaneCallInitiator(controlPlane),
    ready: () => heartbeat?.registered ?? false,
    prepareSocketServer: (io, requests) => {
      adapterClients = useRedisAdapter(io, pod.redisUrl, log, pod.redisCommandTimeoutMs);
      authenticateHandshakes(io, verifier, log, requests);
    },
  });

  heartbeat = new PodHeartbeat({
    registry,
    identity: {
      podName: pod.podName,
      url: pod.publicUrl,
      path: pod.socketPath,
      announcedIp: announced.ip,
      capacity: pod.capacity,
    },
    load: new PodLoadSampler(node.rooms, node.media),
    hostedCalls: () => node.rooms.rooms.map((room) => room.id),
    state: () => (node.drain.draining ? 'draining' : 'ready'),
    // Its devices rejoin through the control plane, which sends them to that pod.
    onCallMoved: (conversationId) => {
      const room = node.rooms.get(conversationId);
      if (room) node.signalling.interruptCalls([room], 'call-moved');
    },
    log,
  });
  await heartbeat.start();
  node.drain.on('draining', () => void heartbeat?.beat());
  node.drain.on('deadline', (rooms) => node.signalling.interruptCalls(rooms, 'server-shutdown'));

  const registered = heartbeat;
  return {
    ...node,
    podName: pod.podName,
    heartbeat: registered,
    async shutdown() {
      await node.drain.drain(pod.drainDeadlineMs);
      await registered.stop();
      await node.close();
      for (const client of [redis, ...adapterClients]) await client.quit().catch(() => undefined);
    },
  };
}

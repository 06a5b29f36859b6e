import ipaddr from 'ipaddr.js';
import type { NodeReader } from './node-addresses.ts';

/** A Node annotation that overrides the announced IP (e.g. a floating IP the Node object does not list). */
export const announcedIpAnnotation = 'groupcall.io/announced-ip';

export interface AnnouncedIpSettings {
  /** MEDIASOUP_ANNOUNCED_IP: used as given. */
  explicitIp: string | undefined;
  /** NODE_NAME from the downward API: this pod's Node. */
  nodeName: string | undefined;
  /** Allow announcing a private address (development clusters, the embedded default). */
  allowPrivate: boolean;
  /** What to announce in development when nothing else is known. */
  fallbackIp: string;
}

export interface AnnouncedIp {
  ip: string;
  source: 'env' | 'node-annotation' | 'node-external-ip' | 'node-internal-ip' | 'fallback';
}

/** Ranges clients outside the cluster network cannot reach. */
const privateRanges = new Set([
  'private',
  'loopback',
  'linkLocal',
  'uniqueLocal',
  'carrierGradeNat',
  'unspecified',
]);

export function isPrivateAddress(ip: string): boolean {
  return privateRanges.has(ipaddr.process(ip).range());
}

/**
 * The address clients send media to. Clients reach media nodes directly, so
 * announcing a private address would make every call silently fail for
 * clients outside the cluster network: without an explicit permission the pod
 * refuses to start instead.
 */
export async function resolveAnnouncedIp(
  settings: AnnouncedIpSettings,
  nodes: () => NodeReader,
): Promise<AnnouncedIp> {
  if (settings.explicitIp) {
    if (!ipaddr.isValid(settings.explicitIp)) {
      throw new Error(`MEDIASOUP_ANNOUNCED_IP=${settings.explicitIp} is not an IP address`);
    }
    return { ip: settings.explicitIp, source: 'env' };
  }
  if (settings.nodeName) return fromNode(settings, settings.nodeName, nodes());
  if (settings.allowPrivate) return { ip: settings.fallbackIp, source: 'fallback' };
  throw new Error(
    'No announced IP: set MEDIASOUP_ANNOUNCED_IP to the public address of this machine, or run in Kubernetes ' +
      "with NODE_NAME set so the Node's ExternalIP is used. (MEDIASOUP_ALLOW_PRIVATE_IP=true permits a private " +
      'address for development.)',
  );
}

async function fromNode(
  settings: AnnouncedIpSettings,
  nodeName: string,
  reader: NodeReader,
): Promise<AnnouncedIp> {
  let node: Awaited<ReturnType<NodeReader['read']>>;
  try {
    node = await reader.read(nodeName);
  } catch (error) {
    throw new Error(
      `Cannot read Node ${nodeName} from the Kubernetes API to find the announced IP: ${(error as Error).message}`,
    );
  }
  const override = node.annotations[announcedIpAnnotation];
  if (override) {
    if (!ipaddr.isValid(override))
      throw new Error(
        `Node ${nodeName} annotation ${announcedIpAnnotation}=${override} is not an IP address`,
      );
    return { ip: override, source: 'node-annotation' };
  }
  const external = node.externalIps.find((ip) => settings.allowPrivate || !isPrivateAddress(ip));
  if (external) return { ip: external, source: 'node-external-ip' };
  const internal = node.internalIps[0];
  if (settings.allowPrivate && internal) return { ip: internal, source: 'node-internal-ip' };
  throw new Error(
    `Node ${nodeName} has no public ExternalIP (ExternalIP: ${node.externalIps.join(', ') || 'none'}; ` +
      `InternalIP: ${node.internalIps.join(', ') || 'none'}). Refusing to announce a private address to clients: ` +
      `set MEDIASOUP_ANNOUNCED_IP, annotate the Node with ${announcedIpAnnotation}, or set ` +
      'MEDIASOUP_ALLOW_PRIVATE_IP=true for development clusters.',
  );
}

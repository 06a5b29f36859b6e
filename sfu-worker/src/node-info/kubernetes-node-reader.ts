import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { NodeAddresses, NodeReader } from './node-addresses.ts';

/**
 * Reads the Node through the Kubernetes API with @kubernetes/client-node:
 * in a pod, the service account (RBAC: get nodes); elsewhere KUBECONFIG.
 */
export class KubernetesNodeReader implements NodeReader {
  readonly #api: CoreV1Api;

  constructor(kubeConfig: KubeConfig = KubernetesNodeReader.defaultConfig()) {
    this.#api = kubeConfig.makeApiClient(CoreV1Api);
  }

  static defaultConfig(): KubeConfig {
    const config = new KubeConfig();
    config.loadFromDefault();
    return config;
  }

  async read(nodeName: string): Promise<NodeAddresses> {
    const node = await this.#api.readNode({ name: nodeName });
    const addresses = node.status?.addresses ?? [];
    const of = (type: string) => addresses.filter((a) => a.type === type).map((a) => a.address);
    return {
      externalIps: of('ExternalIP'),
      internalIps: of('InternalIP'),
      annotations: node.metadata?.annotations ?? {},
    };
  }
}

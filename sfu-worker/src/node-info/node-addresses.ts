/** What the announced-IP decision needs to know about this pod's Kubernetes Node. */
export interface NodeAddresses {
  externalIps: string[];
  internalIps: string[];
  annotations: Record<string, string>;
}

/** Reads a Node by name. The real one asks the Kubernetes API; tests point it at a fake API server. */
export interface NodeReader {
  read(nodeName: string): Promise<NodeAddresses>;
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export interface FakeNode {
  name: string;
  addresses: Array<{ type: 'ExternalIP' | 'InternalIP' | 'Hostname'; address: string }>;
  annotations?: Record<string, string>;
}

/**
 * A Kubernetes API server that knows a few Nodes: `GET /api/v1/nodes/{name}`
 * answers a v1 Node (or the API's 404 Status), after checking the bearer
 * token, just as kube-apiserver does for a pod's service account.
 */
export class FakeKubernetesApi {
  readonly requests: Array<{ method: string; url: string; authorization: string | undefined }> = [];
  readonly #nodes = new Map<string, FakeNode>();
  readonly #server: Server;
  readonly #token = 'fake-service-account-token';

  private constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  static async start(nodes: FakeNode[]): Promise<FakeKubernetesApi> {
    const api = new FakeKubernetesApi();
    for (const node of nodes) api.#nodes.set(node.name, node);
    await new Promise<void>((resolve) => api.#server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** A kubeconfig for this server, as a pod or a developer would have. */
  kubeConfig(): KubeConfig {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'sfu-worker', token: this.#token }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'sfu-worker' }],
      currentContext: 'fake',
    });
    return config;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: import('node:http').ServerResponse): void {
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.#token}`) {
      send(401, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Unauthorized',
        code: 401,
      });
      return;
    }
    const match = /^\/api\/v1\/nodes\/([^/?]+)/.exec(req.url ?? '');
    const node = match?.[1] && this.#nodes.get(decodeURIComponent(match[1]));
    if (req.method !== 'GET' || !node) {
      send(404, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: `nodes "${match?.[1]}" not found`,
        reason: 'NotFound',
        details: { name: match?.[1], kind: 'nodes' },
        code: 404,
      });
      return;
    }
    send(200, {
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { name: node.name, annotations: node.annotations ?? {}, labels: {} },
      spec: {},
      status: { addresses: node.addresses },
    });
  }
}

import {
  type GenericContainer,
  getContainerRuntimeClient,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
} from 'testcontainers';
import { freePort } from '../../src/free-port.ts';

/** How the stack's containers reach each other and how this machine reaches them. */
export type NetworkMode = 'bridge' | 'host';

/** A service's address: where it listens in its container, and where the others reach it. */
export interface ServiceAddress {
  /** The address it binds (HOST, --bind …). */
  listenHost: string;
  /** The port it listens on inside its container. */
  port: number;
  /** host:port at which the stack's other containers reach it. */
  internal: string;
}

/**
 * One way of wiring the stack. Both modes give services the same description
 * (ServiceAddress, a host URL), so the stack is started by one code path.
 */
export interface StackNetwork {
  readonly mode: NetworkMode;
  /** Where a service named `alias` listens, `port` being its usual port (a bridge keeps it). */
  address(alias: string, port: number): Promise<ServiceAddress>;
  /** Puts `container` on this network, as `alias`, its `ports` (container ports) reachable from this machine. */
  attach(container: GenericContainer, alias: string, ports: number[]): GenericContainer;
  /**
   * Makes `port` (TCP, and UDP with `udp`) reachable from this machine at the
   * same port number: announced addresses (a pod's PUBLIC_URL, mediasoup's
   * ICE candidates) are known before the container starts.
   */
  publishSamePort(container: GenericContainer, port: number, udp?: boolean): GenericContainer;
  /** The port on this machine at which `container`'s `port` answers. */
  hostPort(container: StartedTestContainer, port: number): number;
  /** The address on this machine the containers can reach (for servers in this process, e.g. a fake FCM). */
  addressForContainers(): Promise<string>;
  /** Removes what the network made (nothing for the host network). */
  stop(): Promise<void>;
  /** Docker network ids to remove at process exit. */
  dockerNetworkId(): string | undefined;
}

/**
 * A user-defined bridge network (the default): containers reach each other by
 * network alias, this machine reaches them through mapped ports. Works with
 * any Docker (Linux, Docker Desktop, CI runners).
 */
export class BridgeStackNetwork implements StackNetwork {
  readonly mode = 'bridge';
  readonly #network: StartedNetwork;

  private constructor(network: StartedNetwork) {
    this.#network = network;
  }

  static async create(): Promise<BridgeStackNetwork> {
    return new BridgeStackNetwork(await new Network().start());
  }

  async address(alias: string, port: number): Promise<ServiceAddress> {
    return { listenHost: '0.0.0.0', port, internal: `${alias}:${port}` };
  }

  attach(container: GenericContainer, alias: string, ports: number[]): GenericContainer {
    return container
      .withNetwork(this.#network)
      .withNetworkAliases(alias)
      .withExposedPorts(...ports);
  }

  publishSamePort(container: GenericContainer, port: number, udp = false): GenericContainer {
    const tcp = container.withExposedPorts({ container: port, host: port });
    return udp ? tcp.withExposedPorts({ container: port, host: port, protocol: 'udp' }) : tcp;
  }

  hostPort(container: StartedTestContainer, port: number): number {
    return container.getMappedPort(port);
  }

  /** The network's gateway: this machine's address on the bridge (Linux; Docker Desktop forwards it too). */
  async addressForContainers(): Promise<string> {
    const client = await getContainerRuntimeClient();
    const info = await client.network.getById(this.#network.getId()).inspect();
    const gateway = (info.IPAM?.Config ?? []).map((c) => c.Gateway).find((g) => g && !g.includes(':'));
    if (!gateway) throw new Error(`network ${this.#network.getName()} has no IPv4 gateway`);
    return gateway;
  }

  async stop(): Promise<void> {
    await this.#network.stop();
  }

  dockerNetworkId(): string {
    return this.#network.getId();
  }
}

/**
 * The host's network (Linux only), as sfu-worker pods run on Kubernetes:
 * every service listens on a free 127.0.0.1 port and nothing is mapped.
 */
export class HostStackNetwork implements StackNetwork {
  readonly mode = 'host';

  async address(): Promise<ServiceAddress> {
    const port = await freePort();
    return { listenHost: '127.0.0.1', port, internal: `127.0.0.1:${port}` };
  }

  attach(container: GenericContainer): GenericContainer {
    return container.withNetworkMode('host');
  }

  publishSamePort(container: GenericContainer): GenericContainer {
    return container;
  }

  hostPort(_container: StartedTestContainer, port: number): number {
    return port;
  }

  async addressForContainers(): Promise<string> {
    return '127.0.0.1';
  }

  async stop(): Promise<void> {}

  dockerNetworkId(): undefined {
    return undefined;
  }
}

/**
 * One machine in the lab: its own network namespace, linked to the lab's
 * router by a veth pair on its own /24 inside 198.18.0.0/15 (the
 * benchmarking range). `address` changes when the lab moves the node.
 */
export interface LabNode {
  readonly name: string;
  /** The node's network namespace (`ip netns exec <namespace> ...`). */
  readonly namespace: string;
  /** The node's current IPv4 address. */
  readonly address: string;
  /** The router's address on the node's link: the node's default gateway. */
  readonly gateway: string;
  /** The veth end inside the node's namespace. */
  readonly interface: string;
  /** The veth end inside the router's namespace. */
  readonly routerInterface: string;
}

/** A node's link, as the lab tracks it (the address moves on changeAddress). */
export class NodeLink implements LabNode {
  readonly name: string;
  readonly namespace: string;
  readonly gateway: string;
  readonly interface = 'eth0';
  readonly routerInterface: string;
  readonly #subnet: string;
  #host = 2;

  constructor(name: string, namespace: string, index: number) {
    this.name = name;
    this.namespace = namespace;
    this.#subnet = `198.18.${index}`;
    this.gateway = `${this.#subnet}.1`;
    this.routerInterface = `n${index}`;
  }

  get address(): string {
    return `${this.#subnet}.${this.#host}`;
  }

  /** Moves to the next host address on the same link (a new DHCP lease, another access point). */
  nextAddress(): string {
    if (this.#host >= 254) throw new Error(`lab node ${this.name} ran out of addresses`);
    this.#host += 1;
    return this.address;
  }
}

import { onProcessExit } from '../exit-cleanup.ts';
import { deleteNamespaceNow, ip, killSockets, listNamespaces, nft, nftJson, tc } from './commands.ts';
import { type BlockRule, type NodeImpairment, renderRuleset, TABLE } from './impairments.ts';
import { type LabNode, NodeLink } from './lab-node.ts';

/** Every lab namespace is named `gclab-<pid>-...`, so a later run can find what a killed one left. */
const PREFIX = 'gclab';
let labsMade = 0;

/**
 * An impaired network on one machine, for tests: a router namespace and one
 * namespace per node, each node on its own veth link to the router. The
 * router forwards between nodes and applies impairments (random loss,
 * blocked traffic) with nftables; links get bandwidth limits with
 * `tc ... tbf`. Only 198.18.0.0/15 addresses are used, only inside the
 * lab's namespaces, and there is no route out of them.
 *
 * Everything lives in the lab's namespaces, so deleting them removes every
 * link, address, qdisc and nftables table. close() does that; so does the
 * process exit hook when a test fails or the run is interrupted, and a lab
 * left behind by a killed process (SIGKILL) is removed by the next create().
 * Needs root (CAP_NET_ADMIN), as CI has.
 */
export class NetworkLab {
  readonly #prefix: string;
  readonly #router: string;
  readonly #nodes = new Map<string, NodeLink>();
  readonly #impairments = new Map<LabNode, NodeImpairment>();
  readonly #unregister: () => void;
  #closed = false;

  private constructor(prefix: string) {
    this.#prefix = prefix;
    this.#router = `${prefix}-router`;
    this.#unregister = onProcessExit(() => this.#deleteNamespacesNow());
  }

  static async create(): Promise<NetworkLab> {
    if (process.getuid?.() !== 0) throw new Error('the network lab needs root (CAP_NET_ADMIN), as CI has');
    removeLabsOfDeadProcesses();
    labsMade += 1;
    const lab = new NetworkLab(`${PREFIX}-${process.pid}-${labsMade}`);
    try {
      await ip('netns', 'add', lab.#router);
      await ip('-n', lab.#router, 'link', 'set', 'lo', 'up');
      await ip('netns', 'exec', lab.#router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
      await lab.#applyImpairments();
    } catch (error) {
      await lab.close();
      throw error;
    }
    return lab;
  }

  /** A new node (namespace + link to the router). Its name is for messages only. */
  async addNode(name: string): Promise<LabNode> {
    this.#ensureOpen();
    const index = this.#nodes.size + 1;
    if (index > 254) throw new Error('a lab has at most 254 nodes');
    const node = new NodeLink(name, `${this.#prefix}-n${index}`, index);
    this.#nodes.set(node.namespace, node);
    await ip('netns', 'add', node.namespace);
    await ip('-n', node.namespace, 'link', 'set', 'lo', 'up');
    // Created inside the router's namespace, so no interface ever appears in the machine's own.
    await ip(
      '-n',
      this.#router,
      'link',
      'add',
      node.routerInterface,
      'type',
      'veth',
      'peer',
      'name',
      node.interface,
      'netns',
      node.namespace,
    );
    await ip('-n', this.#router, 'addr', 'add', `${node.gateway}/24`, 'dev', node.routerInterface);
    await ip('-n', this.#router, 'link', 'set', node.routerInterface, 'up');
    await ip('-n', node.namespace, 'addr', 'add', `${node.address}/24`, 'dev', node.interface);
    await ip('-n', node.namespace, 'link', 'set', node.interface, 'up');
    await ip('-n', node.namespace, 'route', 'add', 'default', 'via', node.gateway);
    return node;
  }

  /**
   * Gives the node a new address on its link and removes the old one, as
   * when a phone moves to another network: packets to the old address are lost.
   */
  async changeAddress(node: LabNode): Promise<string> {
    const link = this.#link(node);
    const address = link.nextAddress();
    await ip('-n', link.namespace, 'addr', 'flush', 'dev', link.interface);
    await ip('-n', link.namespace, 'addr', 'add', `${address}/24`, 'dev', link.interface);
    await ip('-n', link.namespace, 'route', 'replace', 'default', 'via', link.gateway);
    // Rules that name the node by address follow it.
    await this.#applyImpairments();
    return address;
  }

  /** Cuts the node's link (the router's end goes down): nothing gets in or out. */
  async cut(node: LabNode): Promise<void> {
    await ip('-n', this.#router, 'link', 'set', this.#link(node).routerInterface, 'down');
  }

  /** Restores a cut link. */
  async restore(node: LabNode): Promise<void> {
    await ip('-n', this.#router, 'link', 'set', this.#link(node).routerInterface, 'up');
  }

  /**
   * Breaks the node's TCP connections to `server`'s `port` at both ends, as a
   * NAT or a mobile network that lost them does: each side's socket is
   * aborted at once, not after a timeout.
   */
  async resetConnections(node: LabNode, server: LabNode, port: number): Promise<void> {
    this.#link(server);
    const nodeLink = this.#link(node);
    await killSockets(nodeLink.namespace, 'dst', server.address, 'dport', '=', `:${port}`);
    await killSockets(server.namespace, 'dst', nodeLink.address, 'sport', '=', `:${port}`);
  }

  /** Limits the node's link with a token bucket (tbf) each way, in kbit/s. */
  async limitBandwidth(node: LabNode, limit: { upKbit: number; downKbit: number }): Promise<void> {
    const link = this.#link(node);
    const tbf = (kbit: number) => [
      'root',
      'tbf',
      'rate',
      `${kbit}kbit`,
      'burst',
      '32kbit',
      'latency',
      '200ms',
    ];
    await tc(link.namespace, 'qdisc', 'replace', 'dev', link.interface, ...tbf(limit.upKbit));
    await tc(this.#router, 'qdisc', 'replace', 'dev', link.routerInterface, ...tbf(limit.downKbit));
  }

  /** Drops this per cent of the node's packets at random, each way (`both`) or one way. */
  async setLoss(node: LabNode, loss: { up?: number; down?: number }): Promise<void> {
    const impairment = this.#impairment(node);
    impairment.lossUp = checkPercent(loss.up ?? 0);
    impairment.lossDown = checkPercent(loss.down ?? 0);
    await this.#applyImpairments();
  }

  /** Drops the node's outgoing traffic that matches `rule` (see BlockRule). */
  async block(node: LabNode, rule: BlockRule): Promise<void> {
    this.#impairment(node).blocks.push(rule);
    await this.#applyImpairments();
  }

  /** Removes every loss and block rule of the node. */
  async clearImpairments(node: LabNode): Promise<void> {
    this.#impairments.delete(this.#link(node));
    await this.#applyImpairments();
  }

  /** Packets the router dropped so far under the node's rules (loss and blocks). */
  droppedPackets(node: LabNode): number {
    const link = this.#link(node);
    const listing = nftJson(this.#router, 'list', 'table', 'inet', TABLE) as {
      nftables: { rule?: { expr: Record<string, unknown>[] } }[];
    };
    let packets = 0;
    for (const { rule } of listing.nftables) {
      if (!rule || !JSON.stringify(rule.expr).includes(`"${link.routerInterface}"`)) continue;
      for (const expr of rule.expr) {
        const counter = expr.counter as { packets: number } | undefined;
        if (counter) packets += counter.packets;
      }
    }
    return packets;
  }

  /** Removes every namespace (and with them every link, qdisc and table) the lab made. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unregister();
    this.#deleteNamespacesNow();
  }

  #deleteNamespacesNow(): void {
    for (const node of this.#nodes.values()) deleteNamespaceNow(node.namespace);
    deleteNamespaceNow(this.#router);
  }

  async #applyImpairments(): Promise<void> {
    await nft(this.#router, renderRuleset(this.#impairments));
  }

  #impairment(node: LabNode): NodeImpairment {
    const link = this.#link(node);
    let impairment = this.#impairments.get(link);
    if (!impairment) {
      impairment = { lossUp: 0, lossDown: 0, blocks: [] };
      this.#impairments.set(link, impairment);
    }
    return impairment;
  }

  #link(node: LabNode): NodeLink {
    this.#ensureOpen();
    const link = this.#nodes.get(node.namespace);
    if (!link) throw new Error(`${node.name} is not a node of this lab`);
    return link;
  }

  #ensureOpen(): void {
    if (this.#closed) throw new Error('the network lab is closed');
  }
}

function checkPercent(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100)
    throw new Error(`loss must be 0..100 %, got ${value}`);
  return value;
}

/** Deletes the namespaces of labs whose process is gone (killed before its exit hook could run). */
function removeLabsOfDeadProcesses(): void {
  for (const namespace of listNamespaces()) {
    const owner = new RegExp(`^${PREFIX}-(\\d+)-`).exec(namespace)?.[1];
    if (owner && !isAlive(Number(owner))) deleteNamespaceNow(namespace);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

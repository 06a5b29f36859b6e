import type { LabNode } from './lab-node.ts';

/** Traffic a node may not send: a protocol, optionally only to (or not to) one node, on (or off) some ports. */
export interface BlockRule {
  protocol: 'udp' | 'tcp';
  /** Only traffic to this node (default: to anyone). */
  to?: LabNode;
  /** Only traffic to anyone but this node. */
  notTo?: LabNode;
  /** Only these destination ports, e.g. `40000-49999` or `3478`. */
  ports?: string;
  /** Only destination ports other than these. */
  notPorts?: string;
  /**
   * Refuse instead of dropping silently: TCP gets a reset, UDP an ICMP
   * unreachable, as on a device with no route, whose connection attempts
   * fail at once instead of waiting for their timeouts.
   */
  reject?: boolean;
}

/** What the router does to one node's traffic. */
export interface NodeImpairment {
  /** Per cent of packets from the node dropped at random. */
  lossUp: number;
  /** Per cent of packets to the node dropped at random. */
  lossDown: number;
  blocks: BlockRule[];
}

export const TABLE = 'lab';

/**
 * The router's nftables ruleset for the current impairments. Everything is
 * done in the forward hook of the router's namespace: a drop there is silent
 * (the sender sees no error, as on a real lossy path), which an output hook
 * would not give (sendto fails with EPERM). Loss uses `numgen random`
 * because this kernel has no netem.
 * The script replaces the table atomically (declare, delete, redefine).
 */
export function renderRuleset(impairments: ReadonlyMap<LabNode, NodeImpairment>): string {
  const rules: string[] = [];
  for (const [node, impairment] of impairments) {
    const from = `iifname "${node.routerInterface}"`;
    for (const block of impairment.blocks)
      rules.push(`${from} ${blockMatch(block)} counter ${block.reject ? refusal(block) : 'drop'}`);
    if (impairment.lossUp > 0)
      rules.push(`${from} numgen random mod 100 < ${impairment.lossUp} counter drop`);
    if (impairment.lossDown > 0)
      rules.push(
        `oifname "${node.routerInterface}" numgen random mod 100 < ${impairment.lossDown} counter drop`,
      );
  }
  return [
    `table inet ${TABLE} {}`,
    `delete table inet ${TABLE}`,
    `table inet ${TABLE} {`,
    '  chain impair {',
    '    type filter hook forward priority 0; policy accept;',
    ...rules.map((rule) => `    ${rule}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

function refusal(block: BlockRule): string {
  return block.protocol === 'tcp' ? 'reject with tcp reset' : 'reject';
}

function blockMatch(block: BlockRule): string {
  const parts: string[] = [];
  if (block.to) parts.push(`ip daddr ${block.to.address}`);
  if (block.notTo) parts.push(`ip daddr != ${block.notTo.address}`);
  parts.push(`meta l4proto ${block.protocol}`);
  if (block.ports) parts.push(`${block.protocol} dport ${block.ports}`);
  if (block.notPorts) parts.push(`${block.protocol} dport != ${block.notPorts}`);
  return parts.join(' ');
}

import { spawn } from 'node:child_process';
import { type LabNode, NetworkLab } from '@groupcall/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { listenTcp, tcpOutcome, udpDelivered } from './probes.ts';

/**
 * The network lab against real packets: each rule is checked by sending
 * UDP datagrams or opening TCP connections between lab nodes. Needs root.
 */

const labs: NetworkLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
});

async function twoNodes(): Promise<{ lab: NetworkLab; a: LabNode; b: LabNode }> {
  const lab = await NetworkLab.create();
  labs.push(lab);
  return { lab, a: await lab.addNode('a'), b: await lab.addNode('b') };
}

const labNamespaces = async () => {
  const out = await new Promise<string>((resolve) => {
    const child = spawn('ip', ['netns', 'list']);
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.on('close', () => resolve(text));
  });
  return out.split('\n').filter((line) => line.startsWith('gclab-'));
};

describe('the network lab', { timeout: 60_000 }, () => {
  it('links nodes through its router, with addresses only in 198.18.0.0/15 and no way out', async () => {
    const { a, b } = await twoNodes();
    expect(a.address).toMatch(/^198\.1[89]\./);
    expect(b.address).toMatch(/^198\.1[89]\./);
    expect(await udpDelivered(a, b, 200)).toBe(200);
    // Nothing beyond the lab is routed: the router has no default route.
    expect(await tcpOutcome(a, '192.0.2.1', 80)).not.toBe('connected');
  });

  it('drops the asked share of packets at random, per direction', async () => {
    const { lab, a, b } = await twoNodes();
    await lab.setLoss(b, { down: 20 });
    const toB = await udpDelivered(a, b, 1000);
    const fromB = await udpDelivered(b, a, 1000);
    expect(toB).toBeGreaterThan(1000 * 0.7);
    expect(toB).toBeLessThan(1000 * 0.9);
    expect(fromB).toBe(1000);
    expect(lab.droppedPackets(b)).toBe(1000 - toB);

    await lab.setLoss(b, { up: 20 });
    const upFromB = await udpDelivered(b, a, 1000);
    expect(upFromB).toBeLessThan(1000 * 0.9);
    expect(await udpDelivered(a, b, 1000)).toBe(1000);
  });

  it('blocks a protocol to a node, sparing the ports it is told to spare', async () => {
    const { lab, a, b } = await twoNodes();
    const listener = await listenTcp(b, 8000);
    const other = await listenTcp(b, 8001);
    try {
      await lab.block(a, { protocol: 'udp', to: b });
      await lab.block(a, { protocol: 'tcp', to: b, notPorts: '8000' });
      expect(await udpDelivered(a, b, 100)).toBe(0);
      expect(await tcpOutcome(a, b.address, 8000)).toBe('connected');
      expect(await tcpOutcome(a, b.address, 8001)).toBe('timeout');
      // The other way is not blocked.
      expect(await udpDelivered(b, a, 100)).toBe(100);

      await lab.clearImpairments(a);
      expect(await udpDelivered(a, b, 100)).toBe(100);
      expect(await tcpOutcome(a, b.address, 8001)).toBe('connected');
    } finally {
      await listener.stop();
      await other.stop();
    }
  });

  it('moves a node to a new address, after which the old one is unreachable', async () => {
    const { lab, a, b } = await twoNodes();
    const listener = await listenTcp(b, 8000);
    try {
      const old = b.address;
      const moved = await lab.changeAddress(b);
      expect(moved).not.toBe(old);
      expect(b.address).toBe(moved);
      expect(await tcpOutcome(a, old, 8000)).not.toBe('connected');
      // The listener was bound to the old address: a new one on the new address answers.
      const again = await listenTcp(b, 8001);
      expect(await tcpOutcome(a, moved, 8001)).toBe('connected');
      await again.stop();
    } finally {
      await listener.stop();
    }
  });

  it('cuts a link and restores it', async () => {
    const { lab, a, b } = await twoNodes();
    await lab.cut(b);
    expect(await udpDelivered(a, b, 100)).toBe(0);
    await lab.restore(b);
    expect(await udpDelivered(a, b, 100)).toBe(100);
  });

  it('limits bandwidth with a token bucket', async () => {
    const { lab, a, b } = await twoNodes();
    await lab.limitBandwidth(b, { upKbit: 400, downKbit: 400 });
    // 1000 datagrams of 200 bytes in ~0.4 s is ~4 Mbit/s: a 400 kbit/s bucket lets few of them through.
    expect(await udpDelivered(a, b, 1000)).toBeLessThan(400);
  });

  it('leaves nothing behind: close() removes its namespaces, and so does the exit of a killed process', async () => {
    const lab = await NetworkLab.create();
    await lab.addNode('a');
    expect((await labNamespaces()).filter((ns) => ns.startsWith(`gclab-${process.pid}-`)).length).toBe(2);
    await lab.close();
    expect((await labNamespaces()).filter((ns) => ns.startsWith(`gclab-${process.pid}-`))).toEqual([]);

    // A process that is killed outright (no exit hook runs) leaves its lab behind...
    const script = `
      const { NetworkLab } = await import('@groupcall/testing');
      const lab = await NetworkLab.create();
      await lab.addNode('a');
      console.log('ready');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const theirs = () =>
      labNamespaces().then((all) => all.filter((ns) => ns.startsWith(`gclab-${child.pid}-`)));
    expect((await theirs()).length).toBe(2);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // ...and the next lab made anywhere removes it.
    labs.push(await NetworkLab.create());
    expect(await theirs()).toEqual([]);

    // An exit the process sees (a signal) removes its lab at once.
    const signalled = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => signalled.stdout.once('data', () => resolve()));
    const before = (await labNamespaces()).filter((ns) => ns.startsWith(`gclab-${signalled.pid}-`));
    expect(before.length).toBe(2);
    signalled.kill('SIGTERM');
    await new Promise((resolve) => signalled.once('exit', resolve));
    expect((await labNamespaces()).filter((ns) => ns.startsWith(`gclab-${signalled.pid}-`))).toEqual([]);
  });
});

import { type LabNode, spawnInNode, waitUntil } from '@groupcall/testing';

/**
 * Tiny Node programs run inside lab nodes, to see what the lab does to real
 * packets: UDP datagrams counted at the receiver, TCP connections tried.
 */

const udpReceiver = `
const socket = require('node:dgram').createSocket('udp4');
let count = 0, idle;
const finish = () => { console.log('received ' + count); process.exit(0); };
socket.on('message', () => { count++; clearTimeout(idle); idle = setTimeout(finish, 1500); });
socket.bind(Number(process.argv[2]), process.argv[1], () => { socket.setRecvBufferSize(4 << 20); console.log('listening'); idle = setTimeout(finish, 5000); });
`;

const udpSender = `
const socket = require('node:dgram').createSocket('udp4');
const [host, port, total] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
let sent = 0;
const burst = () => {
  for (let i = 0; i < 5 && sent < total; i++, sent++) socket.send(Buffer.alloc(200), port, host);
  if (sent < total) setTimeout(burst, 2); else setTimeout(() => socket.close(), 100);
};
burst();
`;

const tcpConnect = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(1500, () => { console.log('timeout'); process.exit(0); });
socket.on('connect', () => { console.log('connected'); process.exit(0); });
socket.on('error', (e) => { console.log(e.code); process.exit(0); });
`;

const tcpListener = `
require('node:net').createServer((s) => s.end()).listen(Number(process.argv[2]), process.argv[1], () => console.log('listening'));
`;

/** Sends `packets` UDP datagrams from one node to another; resolves with how many arrived. */
export async function udpDelivered(
  from: LabNode,
  to: LabNode,
  packets: number,
  port = 9000,
): Promise<number> {
  const receiver = spawnInNode(to, 'udp receiver', process.execPath, [
    '-e',
    udpReceiver,
    to.address,
    String(port),
  ]);
  try {
    await waitUntil(async () => receiver.output().includes('listening'), {
      description: 'the UDP receiver listens',
      failFast: () => receiver.exitError(),
    });
    await runInNode(from, udpSender, [to.address, String(port), String(packets)]);
    await receiver.exit();
    const received = /received (\d+)/.exec(receiver.output())?.[1];
    if (received === undefined) throw receiver.failure('the UDP receiver did not report');
    return Number(received);
  } finally {
    await receiver.stop();
  }
}

/** Opens a TCP listener in `node`; stop() it when done. */
export async function listenTcp(node: LabNode, port: number) {
  const listener = spawnInNode(node, 'tcp listener', process.execPath, [
    '-e',
    tcpListener,
    node.address,
    String(port),
  ]);
  await waitUntil(async () => listener.output().includes('listening'), {
    description: 'the TCP listener listens',
    failFast: () => listener.exitError(),
  });
  return listener;
}

/** Whether a TCP connection from `from` to `address:port` succeeds ("connected"), else why not. */
export async function tcpOutcome(from: LabNode, address: string, port: number): Promise<string> {
  return (await runInNode(from, tcpConnect, [address, String(port)])).trim();
}

async function runInNode(node: LabNode, script: string, args: string[]): Promise<string> {
  const child = spawnInNode(node, 'probe', process.execPath, ['-e', script, ...args]);
  const { code } = await child.exit();
  if (code !== 0) throw child.failure('the probe failed');
  return child.output();
}

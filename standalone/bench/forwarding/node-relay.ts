import { createSocket, type Socket } from 'node:dgram';
import { serveIpc } from '../harness/ipc.ts';

/**
 * Baseline for the forwarding benchmark: the least a forwarder can do in Node.
 * Each input port receives one replayed RTP stream and sends every packet,
 * unchanged, to `fanOut` destinations (the same UDP sink the mediasoup
 * consumers send to). No header rewrite, no SRTP, no RTCP, no congestion
 * control: just the cost of getting a datagram into and out of a process.
 */
const inputs: Socket[] = [];
let sinkPorts: number[] = [];
let fanOut = 0;
let forwarded = 0;
const out = createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });

async function open(arg: { inputs: number; sinkPorts: number[] }): Promise<number[]> {
  sinkPorts = arg.sinkPorts;
  await new Promise<void>((resolve) => out.bind(0, '127.0.0.1', resolve));
  for (let i = 0; i < arg.inputs; i++) {
    const input = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    input.on('message', (packet) => {
      // Destinations spread over the sink's sockets, like the consumers' transports.
      for (let k = 0; k < fanOut; k++)
        out.send(packet, sinkPorts[k % sinkPorts.length] as number, '127.0.0.1');
      forwarded += fanOut;
    });
    await new Promise<void>((resolve) => input.bind(0, '127.0.0.1', resolve));
    inputs.push(input);
  }
  return inputs.map((s) => s.address().port);
}

serveIpc({
  open,
  setFanOut: (n: number) => {
    fanOut = n;
  },
  forwarded: () => forwarded,
});

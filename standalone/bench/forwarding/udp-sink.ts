import { createSocket, type Socket } from 'node:dgram';
import { serveIpc } from '../harness/ipc.ts';

/**
 * The consumers' far end: a few UDP sockets that only count what arrives.
 * SRTP leaves the RTP header in clear, so RTP and RTCP can be told apart by
 * the payload-type byte (RFC 5761: 192..223 is RTCP) without decrypting.
 * Several sockets spread the kernel receive queues; 4 MiB buffers absorb bursts.
 */
const SOCKETS = 4;
const sockets: Socket[] = [];
const counts = { rtp: 0, rtcp: 0, bytes: 0 };

async function open(): Promise<number[]> {
  for (let i = 0; i < SOCKETS; i++) {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    socket.on('message', (packet) => {
      const second = packet[1] ?? 0;
      if (second >= 192 && second <= 223) counts.rtcp++;
      else counts.rtp++;
      counts.bytes += packet.length;
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
  }
  return sockets.map((s) => s.address().port);
}

serveIpc({
  open,
  counts: () => ({ ...counts }),
});

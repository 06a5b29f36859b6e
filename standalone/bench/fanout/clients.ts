import { serveIpc } from '../harness/ipc.ts';
import { type WsSocket, workspaceRequire } from '../harness/workspace-deps.ts';

/**
 * The fan-out benchmark's load generator: thousands of idle devices in one
 * process. socket.io-client would spend more CPU per message than the server
 * under test, so each device is a bare `ws` connection speaking the Socket.IO
 * wire protocol itself (Engine.IO v4 open/ping, Socket.IO v5 connect, event
 * and ack packets): join with an ack, answer pings, count events by name.
 * In `ws` mode (the raw-WebSocket baseline) there is no protocol at all.
 *
 * Each device connects from its own loopback address (127.1.x.y; all of
 * 127/8 is loopback on Linux), as devices in the field come from their own
 * addresses: the server's per-address cap on sockets not yet authenticated
 * (MAX_UNAUTHENTICATED_SOCKETS_PER_IP, 20) stays as in production.
 */
const { WebSocket } = workspaceRequire.ws();

const sockets: WsSocket[] = [];
const counts = new Map<string, number>();
let total = 0;

function countEvent(data: string): void {
  // Socket.IO event packet: 42["name",payload] (Engine.IO "4" message + Socket.IO "2" event).
  if (!data.startsWith('42["')) return;
  const name = data.slice(4, data.indexOf('"', 4));
  counts.set(name, (counts.get(name) ?? 0) + 1);
  total++;
}

/** The loopback address device `index` connects from. */
const deviceAddress = (index: number): string => `127.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;

function connectSocketIo(url: string, userId: string, localAddress: string): Promise<WsSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    localAddress,
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (raw: Buffer) => {
      const data = raw.toString();
      // Refused by the server's admission (it says why, then disconnects).
      if (data.startsWith('42["group_call_error"')) return reject(new Error(`${userId}: ${data.slice(2)}`));
      if (data.startsWith('42')) return countEvent(data);
      if (data === '2') return ws.send('3'); // Engine.IO ping → pong
      if (data.startsWith('0{')) return ws.send('40'); // open → connect to the main namespace
      if (data.startsWith('40{')) return ws.send(`420${JSON.stringify(['join', userId])}`); // ack id 0
      if (data.startsWith('430')) {
        const [answer] = JSON.parse(data.slice(3)) as [{ success?: boolean; error?: string }];
        if (answer.success) resolve(ws);
        else reject(new Error(`join ${userId}: ${answer.error}`));
      }
    });
  });
}

function connectRaw(url: string, userId: string, localAddress: string): Promise<WsSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/?user=${encodeURIComponent(userId)}`, {
    localAddress,
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (raw: Buffer) => {
      const data = raw.toString();
      if (data === 'joined') resolve(ws);
      else countEvent(data);
    });
  });
}

async function connect(arg: { url: string; mode: 'socketio' | 'ws'; users: string[] }): Promise<number> {
  const open = arg.mode === 'ws' ? connectRaw : connectSocketIo;
  // 50 handshakes in flight at a time: fast, without a SYN flood on the listener.
  for (let i = 0; i < arg.users.length; i += 50) {
    const batch = arg.users.slice(i, i + 50).map((user, k) => open(arg.url, user, deviceAddress(i + k)));
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets.length;
}

serveIpc({
  connect,
  reset: () => {
    counts.clear();
    total = 0;
  },
  count: () => ({ total, byEvent: Object.fromEntries(counts) }),
  close: async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
  },
});

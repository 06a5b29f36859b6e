import { serveIpc } from '../harness/ipc.ts';
import { type WsSocket, workspaceRequire } from '../harness/workspace-deps.ts';

/**
 * The fan-out benchmark's load generator: thousands of idle devices in one
 * process. socket.io-client would spend more CPU per message than the server
 * under test, so each device is a bare `ws` connection speaking the Socket.IO
 * wire protocol itself (Engine.IO v4 open/ping, Socket.IO v5 connect, event
 * and ack packets): join with an ack, answer pings, count events by name.
 * In `ws` mode (the raw-WebSocket baseline) there is no protocol at all.
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

function connectSocketIo(url: string, userId: string): Promise<WsSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (raw: Buffer) => {
      const data = raw.toString();
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

function connectRaw(url: string, userId: string): Promise<WsSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/?user=${encodeURIComponent(userId)}`);
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
    const batch = arg.users.slice(i, i + 50).map((user) => open(arg.url, user));
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

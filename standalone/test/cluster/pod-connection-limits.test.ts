import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.ts';
import { type Cluster, startCluster } from './support/cluster.ts';

// A real pod process: there only the handshake token authenticates (join is never trusted).
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    pods: ['sfu-a'],
    podEnv: { SOCKET_AUTH_TIMEOUT_SECONDS: '2', MAX_DEVICES_PER_USER: '2' },
  });
}, 60_000);
afterAll(() => cluster?.stop());

async function connect(token?: string): Promise<TestClient> {
  const pod = cluster.pods.get('sfu-a');
  if (!pod) throw new Error('no pod');
  return TestClient.connect(pod.url, { path: pod.path, token });
}

describe('admission on a pod', () => {
  it('drops a socket without a handshake token after the deadline, whatever it sends; keeps one with a token', async () => {
    const alice = await connect(await cluster.token('1'));
    const anonymous = await connect();
    try {
      expect(await anonymous.request('join', '1')).toEqual({ error: 'Authentication required' });
      expect(await anonymous.disconnected()).toBe('io server disconnect');
      expect(anonymous.received('group_call_error')).toEqual([
        { message: 'Not authenticated in time: send join (or a handshake token) right after connecting' },
      ]);
      expect(await alice.request('join', '1')).toEqual({ success: true });
      expect(alice.socket.connected).toBe(true);
    } finally {
      for (const client of [alice, anonymous]) client.close();
    }
  });

  it('refuses a user’s device over the cap at connection time', async () => {
    const token = await cluster.token('2');
    const devices = [await connect(token), await connect(token)];
    const third = await connect(token);
    try {
      expect(await third.disconnected()).toBe('io server disconnect');
      expect(third.received('group_call_error')).toEqual([
        { message: 'Too many devices connected for this user' },
      ]);
      // Another user is not affected.
      const carol = await connect(await cluster.token('3'));
      devices.push(carol);
      expect(await carol.request('join', '3')).toEqual({ success: true });
    } finally {
      for (const client of [...devices, third]) client.close();
    }
  });
});

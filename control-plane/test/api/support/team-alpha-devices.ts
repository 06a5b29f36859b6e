import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type RedisServer, startRedis } from './servers.ts';
import { type Device, SocketCluster } from './socket-cluster.ts';

/**
 * Devices of Team Alpha's members, connected for a whole test file to a real
 * Socket.IO server behind real Redis: Alice (1), Bob on a phone and a laptop
 * (2), Carol (3, no push token); Dave (4) stays offline. Their received
 * events are cleared before each test. Fields are set once the file's
 * beforeAll has run.
 */
export interface TeamAlphaDevices {
  redis: RedisServer;
  cluster: SocketCluster;
  alice: Device;
  bobPhone: Device;
  bobLaptop: Device;
  carol: Device;
  /** Every device above, plus those added with `also`. */
  everyone: Device[];
}

/** `also`: more users to connect one device each for, e.g. `{ erin: '5' }`. */
export function useTeamAlphaDevices<Extra extends string = never>(
  also: Record<Extra, string> = {} as Record<Extra, string>,
): TeamAlphaDevices & Record<Extra, Device> {
  const devices = {} as TeamAlphaDevices & Record<Extra, Device>;
  beforeAll(async () => {
    devices.redis = await startRedis();
    devices.cluster = await SocketCluster.start(devices.redis.url);
    devices.alice = await devices.cluster.connect('1');
    devices.bobPhone = await devices.cluster.connect('2');
    devices.bobLaptop = await devices.cluster.connect('2');
    devices.carol = await devices.cluster.connect('3');
    devices.everyone = [devices.alice, devices.bobPhone, devices.bobLaptop, devices.carol];
    for (const [name, userId] of Object.entries(also) as [Extra, string][]) {
      const device = await devices.cluster.connect(userId);
      (devices as Record<Extra, Device>)[name] = device;
      devices.everyone.push(device);
    }
  });
  afterAll(async () => {
    await devices.cluster?.close();
    await devices.redis?.stop();
  });
  beforeEach(() => {
    for (const device of devices.everyone) device.clear();
  });
  return devices;
}

import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { envFlag } from '../pod-config.ts';
import { resolveAnnouncedIp } from './announced-ip.ts';
import { KubernetesNodeReader } from './kubernetes-node-reader.ts';

/**
 * Writes the address the sfu-worker on this node announces to clients (the
 * pod's own resolution: MEDIASOUP_ANNOUNCED_IP, else the Node's
 * groupcall.io/announced-ip annotation, else its ExternalIP; a private
 * address only with MEDIASOUP_ALLOW_PRIVATE_IP) to the file named by its
 * argument. The chart's coturn runs it first: the relayed addresses it
 * hands to clients must be the node's public address, the one the
 * sfu-worker announces.
 *
 *   node sfu-worker/src/node-info/announced-ip-main.ts /run/coturn/external-ip
 */
const EnvSchema = z.object({
  MEDIASOUP_ANNOUNCED_IP: z.string().optional(),
  NODE_NAME: z.string().optional(),
  MEDIASOUP_ALLOW_PRIVATE_IP: envFlag.default(false),
});

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: announced-ip-main.ts FILE');
  process.exit(2);
}
try {
  const env = EnvSchema.parse(process.env);
  const announced = await resolveAnnouncedIp(
    {
      explicitIp: env.MEDIASOUP_ANNOUNCED_IP,
      nodeName: env.NODE_NAME,
      allowPrivate: env.MEDIASOUP_ALLOW_PRIVATE_IP,
      fallbackIp: '127.0.0.1',
    },
    () => new KubernetesNodeReader(),
  );
  writeFileSync(file, `${announced.ip}\n`);
  console.log(JSON.stringify({ announcedIp: announced.ip, source: announced.source }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

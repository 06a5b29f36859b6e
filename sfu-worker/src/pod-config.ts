import { type AccessTokenConfig, accessTokenConfigFromEnv } from '@groupcall/shared/auth';
import { type PodKeys, podKeysFromEnv } from '@groupcall/shared/tickets';
import { z } from 'zod';

/**
 * Settings a production pod needs beyond the shared sfu-worker ones
 * (config.ts). Secrets come from the environment or from mounted files
 * (`NAME_FILE`), never from the repository.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const PodEnvSchema = z.object({
  POD_NAME: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'POD_NAME must be a DNS label (the pod name)'),
  /** Public base URL clients use for this pod's signalling (the ingress), e.g. https://sfu.example.com */
  PUBLIC_URL: z.url(),
  REDIS_URL: z.string().min(1),
  /** Longest a Redis command may take before the request waiting on it fails. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  CONTROL_PLANE_URL: z.url(),
  NODE_NAME: z.string().optional(),
  MEDIASOUP_ALLOW_PRIVATE_IP: bool.default(false),
  /** Participants this pod accepts in total (placement stops sending calls beyond it). */
  POD_CAPACITY: z.coerce.number().int().positive().default(500),
  /** How long running calls may go on after SIGTERM before they are ended. */
  DRAIN_DEADLINE_SECONDS: z.coerce.number().int().positive().default(3600),
});

export interface PodConfig {
  podName: string;
  publicUrl: string;
  socketPath: string;
  redisUrl: string;
  redisCommandTimeoutMs: number;
  controlPlaneUrl: string;
  nodeName: string | undefined;
  allowPrivateIp: boolean;
  capacity: number;
  drainDeadlineMs: number;
  /** The ticket verification key (public only) and the service token key. */
  keys: PodKeys;
  auth: AccessTokenConfig;
}

export function loadPodConfig(env: Record<string, string | undefined> = process.env): PodConfig {
  const parsed = PodEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid pod configuration: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    podName: e.POD_NAME,
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
    socketPath: `/sfu/${e.POD_NAME}/socket.io`,
    redisUrl: e.REDIS_URL,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    controlPlaneUrl: e.CONTROL_PLANE_URL,
    nodeName: e.NODE_NAME,
    allowPrivateIp: e.MEDIASOUP_ALLOW_PRIVATE_IP,
    capacity: e.POD_CAPACITY,
    drainDeadlineMs: e.DRAIN_DEADLINE_SECONDS * 1000,
    keys: podKeysFromEnv(env),
    auth: accessTokenConfigFromEnv(env),
  };
}

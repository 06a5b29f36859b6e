import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * sfu-worker configuration, read once from the environment at start-up.
 * Every value has a default that runs the embedded product on one machine.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  PORT: int(0, 65535).default(8000),
  HOST: z.string().default('0.0.0.0'),
  MEDIASOUP_NUM_WORKERS: int(1, 256).default(availableParallelism()),
  MEDIASOUP_LISTEN_IP: z.string().default('127.0.0.1'),
  MEDIASOUP_ANNOUNCED_IP: z.string().optional(),
  /** WebRtcServer of worker i listens on UDP and TCP port base + i; 0 lets each pick a free port. */
  MEDIASOUP_PORT_BASE: int(0, 65535).default(40000),
  MEDIASOUP_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
  /**
   * Devices of one call on one Router (one Worker, one core). Past it, further
   * devices of the call go to a Router on another Worker of the pod; one Worker
   * carries about a dozen all-video devices (docs/benchmarks.md).
   */
  ROUTER_MAX_PARTICIPANTS: int(1, 1000).default(12),
  MAX_PARTICIPANTS_PER_CALL: int(1, 1000).default(25),
  MAX_TRANSPORTS_PER_SOCKET: int(2, 16).default(4),
  MAX_PRODUCERS_PER_SOCKET: int(1, 16).default(4),
  MAX_CONSUMERS_PER_SOCKET: int(1, 5000).default(150),
  /** Largest accepted signalling message, in bytes of the raw packet. */
  MAX_PAYLOAD_BYTES: int(1024, 10 * 1024 * 1024).default(64 * 1024),
  /** Deepest accepted nesting of arrays and objects in a signalling message (the guide's payloads need 7). */
  MAX_PAYLOAD_DEPTH: int(8, 1000).default(32),
  /** A socket that has not authenticated (handshake token, or join in the embedded default) by then is dropped. */
  SOCKET_AUTH_TIMEOUT_SECONDS: int(1, 3600).default(10),
  MAX_UNAUTHENTICATED_SOCKETS_PER_IP: int(1, 100_000).default(20),
  /** Connected devices of one user on this server. */
  MAX_DEVICES_PER_USER: int(1, 1000).default(10),
  /** Devices of one user inside one call, so one user cannot fill a call. */
  MAX_DEVICES_PER_USER_IN_CALL: int(1, 1000).default(4),
  /** Signalling requests per socket: a burst of this many, refilled at the rate below. */
  SOCKET_REQUEST_BURST: int(10, 100_000).default(200),
  SOCKET_REQUESTS_PER_SECOND: int(1, 100_000).default(50),
  /** createRoom and group_call_initiate (each a control-plane request) per socket: burst and refill. */
  SOCKET_CALL_REQUEST_BURST: int(1, 10_000).default(5),
  SOCKET_CALL_REQUESTS_PER_MINUTE: int(1, 100_000).default(12),
  /** Trust `join(userId)` without authentication. Development only. */
  GROUPCALL_DEV_TRUST_CLIENT_IDENTITY: bool.default(false),
  AVATAR_BASE_URL: z.url().optional(),
  DEMO_PAGE: bool.default(false),
  /** After a media worker dies, how long devices have to rejoin before members hear the call ended. */
  CALL_REJOIN_GRACE_SECONDS: int(0, 600).default(15),
  /** How long a call's room stays open after its last device left: a retry or a quick rejoin is no end. */
  CALL_EMPTY_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  /** How often mediasoup's stats are sampled into the call-quality histograms of /metrics; 0 turns it off. */
  CALL_QUALITY_SAMPLE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  /**
   * How long a device whose signalling connection dropped stays in its call,
   * waiting for a new socket to resume it; 0 removes it at once.
   */
  CALL_RESUME_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(20),
  /**
   * Simulcast layers nobody watches any more are asked of the sender this much
   * longer before it may pause them (a tile that grows again soon finds them running).
   */
  SIMULCAST_UNUSED_LAYER_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(3),
  /** Comma-separated browser origins allowed to open Socket.IO connections (CORS). */
  SOCKET_CORS_ORIGINS: z.string().optional(),
});

/** Token buckets of one socket's signalling requests. */
export interface RequestRates {
  burst: number;
  perSecond: number;
  callBurst: number;
  callPerMinute: number;
}

export interface SfuConfig {
  port: number;
  host: string;
  media: {
    numWorkers: number;
    listenIp: string;
    announcedIp: string | undefined;
    portBase: number;
    logLevel: 'debug' | 'warn' | 'error' | 'none';
    /** Devices of one call per Router before the call spreads to another Worker. */
    maxParticipantsPerRouter: number;
  };
  limits: {
    maxParticipantsPerCall: number;
    maxTransportsPerSocket: number;
    maxProducersPerSocket: number;
    maxConsumersPerSocket: number;
    maxPayloadBytes: number;
    maxPayloadDepth: number;
    authTimeoutMs: number;
    maxUnauthenticatedSocketsPerIp: number;
    maxDevicesPerUser: number;
    maxDevicesPerUserInCall: number;
  };
  requestRates: RequestRates;
  devTrustClientIdentity: boolean;
  avatarBaseUrl: string | undefined;
  demoPage: boolean;
  corsOrigins: string[];
  rejoinGraceMs: number;
  emptyRoomGraceMs: number;
  callQualitySampleMs: number;
  resumeGraceMs: number;
  /** How long a simulcast layer nobody watches is still asked of its sender. */
  unusedLayerGraceMs: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): SfuConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    media: {
      numWorkers: e.MEDIASOUP_NUM_WORKERS,
      listenIp: e.MEDIASOUP_LISTEN_IP,
      announcedIp: e.MEDIASOUP_ANNOUNCED_IP,
      portBase: e.MEDIASOUP_PORT_BASE,
      logLevel: e.MEDIASOUP_LOG_LEVEL,
      maxParticipantsPerRouter: e.ROUTER_MAX_PARTICIPANTS,
    },
    limits: {
      maxParticipantsPerCall: e.MAX_PARTICIPANTS_PER_CALL,
      maxTransportsPerSocket: e.MAX_TRANSPORTS_PER_SOCKET,
      maxProducersPerSocket: e.MAX_PRODUCERS_PER_SOCKET,
      maxConsumersPerSocket: e.MAX_CONSUMERS_PER_SOCKET,
      maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
      maxPayloadDepth: e.MAX_PAYLOAD_DEPTH,
      authTimeoutMs: e.SOCKET_AUTH_TIMEOUT_SECONDS * 1000,
      maxUnauthenticatedSocketsPerIp: e.MAX_UNAUTHENTICATED_SOCKETS_PER_IP,
      maxDevicesPerUser: e.MAX_DEVICES_PER_USER,
      maxDevicesPerUserInCall: e.MAX_DEVICES_PER_USER_IN_CALL,
    },
    requestRates: {
      burst: e.SOCKET_REQUEST_BURST,
      perSecond: e.SOCKET_REQUESTS_PER_SECOND,
      callBurst: e.SOCKET_CALL_REQUEST_BURST,
      callPerMinute: e.SOCKET_CALL_REQUESTS_PER_MINUTE,
    },
    devTrustClientIdentity: e.GROUPCALL_DEV_TRUST_CLIENT_IDENTITY,
    avatarBaseUrl: e.AVATAR_BASE_URL,
    demoPage: e.DEMO_PAGE,
    rejoinGraceMs: e.CALL_REJOIN_GRACE_SECONDS * 1000,
    emptyRoomGraceMs: e.CALL_EMPTY_GRACE_SECONDS * 1000,
    callQualitySampleMs: e.CALL_QUALITY_SAMPLE_SECONDS * 1000,
    resumeGraceMs: e.CALL_RESUME_GRACE_SECONDS * 1000,
    unusedLayerGraceMs: e.SIMULCAST_UNUSED_LAYER_GRACE_SECONDS * 1000,
    corsOrigins:
      e.SOCKET_CORS_ORIGINS?.split(',')
        .map((o) => o.trim())
        .filter(Boolean) ?? [],
  };
}

import { z } from 'zod';

/**
 * What an sfu-worker pod publishes about itself every heartbeat, stored as
 * a Redis hash (flat string fields, so the placement script can read them).
 */
export const PodRecordSchema = z.object({
  podName: z.string().min(1),
  /** Public base URL of the pod's Socket.IO server. */
  url: z.string().min(1),
  /** Sticky Socket.IO path the ingress routes to this pod: /sfu/<pod>/socket.io */
  path: z.string().min(1),
  announcedIp: z.string(),
  state: z.enum(['ready', 'draining']),
  /** Participants the pod accepts in total before it is full. */
  capacity: z.coerce.number().int().nonnegative(),
  calls: z.coerce.number().int().nonnegative(),
  participants: z.coerce.number().int().nonnegative(),
  consumers: z.coerce.number().int().nonnegative(),
  /** Process CPU use over the last heartbeat, 0..cores. */
  cpu: z.coerce.number().nonnegative(),
  updatedAt: z.coerce.number().int(),
});
export type PodRecord = z.infer<typeof PodRecordSchema>;

export function encodePodRecord(record: PodRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
}

export function decodePodRecord(hash: Record<string, string>): PodRecord | undefined {
  const parsed = PodRecordSchema.safeParse(hash);
  return parsed.success ? parsed.data : undefined;
}

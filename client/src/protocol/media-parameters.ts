import { z } from 'zod';

/**
 * Schemas for the mediasoup structures that travel inside signalling payloads.
 *
 * They accept what mediasoup itself accepts from real client libraries and
 * only bound what a client could abuse: every string, array and record has a
 * size limit, and values are flat where mediasoup expects flat values, so a
 * client cannot make the server parse or forward arbitrary structures.
 * - `null` is the same as absent for every optional field: Dart
 *   (mediasoup_client_flutter) and C++ (libmediasoupclient) serializers write
 *   an unset field as JSON null (`channels: null`, `encrypt: null`,
 *   `rtcp.mux: null`, `rtcpFeedback[].parameter: null`).
 * - Unknown keys are dropped, not refused (`active`, `kind` in a codec,
 *   `spatialLayer`, `fecMechanisms`...), so mediasoup never sees them.
 * - Meaning (codec support, payload types, header extension ids) is left to
 *   mediasoup, whose own error message comes back in the ack.
 */

/** An optional field that also takes `null` for "absent" and then leaves it out. */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

const shortString = z.string().max(128);

/** Codec `parameters` (fmtp): flat key → string | number, as in SDP; a null value is an absent one. */
const CodecParametersSchema = z
  .record(z.string().max(64), z.union([z.string().max(256), z.number()]).nullable())
  .refine((params) => Object.keys(params).length <= 32, 'too many codec parameters')
  .transform(
    (params) =>
      Object.fromEntries(Object.entries(params).filter(([, value]) => value !== null)) as Record<
        string,
        string | number
      >,
  );

const RtcpFeedbackSchema = z.object({
  type: z.string().max(32),
  parameter: optional(z.string().max(32)),
});

const mimeType = z
  .string()
  .max(64)
  .regex(/^(audio|video)\/[A-Za-z0-9.+_-]+$/i);
const payloadType = z.number().int().min(0).max(127);
const ssrc = z.number().int().nonnegative().max(0xffffffff);

export const RtpCodecParametersSchema = z.object({
  mimeType,
  payloadType,
  clockRate: z.number().int().positive(),
  channels: optional(z.number().int().min(1).max(8)),
  parameters: optional(CodecParametersSchema),
  rtcpFeedback: optional(z.array(RtcpFeedbackSchema).max(16)),
});

export const RtpHeaderExtensionParametersSchema = z.object({
  uri: z.string().max(256),
  id: z.number().int().min(1).max(255),
  encrypt: optional(z.boolean()),
  parameters: optional(CodecParametersSchema),
});

export const RtpEncodingParametersSchema = z.object({
  ssrc: optional(ssrc),
  rid: optional(z.string().max(32)),
  codecPayloadType: optional(payloadType),
  rtx: optional(z.object({ ssrc })),
  dtx: optional(z.boolean()),
  scalabilityMode: optional(z.string().max(16)),
  scaleResolutionDownBy: optional(z.number().positive()),
  maxBitrate: optional(z.number().nonnegative()),
  maxFramerate: optional(z.number().nonnegative()),
  adaptivePtime: optional(z.boolean()),
  priority: optional(z.string().max(16)),
  networkPriority: optional(z.string().max(16)),
});

export const RtpParametersSchema = z.object({
  mid: optional(z.string().max(32)),
  codecs: z.array(RtpCodecParametersSchema).min(1).max(16),
  headerExtensions: optional(z.array(RtpHeaderExtensionParametersSchema).max(16)),
  encodings: optional(z.array(RtpEncodingParametersSchema).max(8)),
  rtcp: optional(
    z.object({
      cname: optional(z.string().max(256)),
      reducedSize: optional(z.boolean()),
      mux: optional(z.boolean()),
    }),
  ),
});
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

export const RtpCodecCapabilitySchema = z.object({
  kind: z.enum(['audio', 'video']),
  mimeType,
  preferredPayloadType: optional(payloadType),
  clockRate: z.number().int().positive(),
  channels: optional(z.number().int().min(1).max(8)),
  parameters: optional(CodecParametersSchema),
  rtcpFeedback: optional(z.array(RtcpFeedbackSchema).max(16)),
});

export const RtpHeaderExtensionCapabilitySchema = z.object({
  kind: z.enum(['audio', 'video']),
  uri: z.string().max(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: optional(z.boolean()),
  direction: optional(z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive'])),
});

export const RtpCapabilitiesSchema = z.object({
  codecs: optional(z.array(RtpCodecCapabilitySchema).max(64)),
  headerExtensions: optional(z.array(RtpHeaderExtensionCapabilitySchema).max(32)),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

export const DtlsParametersSchema = z.object({
  role: optional(z.enum(['auto', 'client', 'server'])),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.string().max(16),
        value: z.string().max(256),
      }),
    )
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

export const IceParametersSchema = z.object({
  usernameFragment: shortString,
  password: shortString,
  iceLite: optional(z.boolean()),
});
export type IceParameters = z.infer<typeof IceParametersSchema>;

export const IceCandidateSchema = z.object({
  foundation: shortString,
  priority: z.number().int().nonnegative(),
  ip: shortString,
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int().min(0).max(65535),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: optional(z.enum(['active', 'passive', 'so'])),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

import { z } from 'zod';

/**
 * Schemas for the mediasoup structures that travel inside signalling payloads.
 * They follow mediasoup 3's RtpParameters / RtpCapabilities / DtlsParameters
 * closely enough for real clients, while bounding every array and string and
 * refusing nested objects where mediasoup expects flat values, so a client
 * cannot make the server parse or forward arbitrary structures.
 */

const shortString = z.string().max(128);

/** Codec `parameters` (fmtp): flat key → string | number, as in SDP. */
const CodecParametersSchema = z
  .record(z.string().max(64), z.union([z.string().max(256), z.number()]))
  .refine((params) => Object.keys(params).length <= 32, 'too many codec parameters');

const RtcpFeedbackSchema = z.object({
  type: z.string().max(32),
  parameter: z.string().max(32).optional(),
});

const mimeType = z
  .string()
  .max(64)
  .regex(/^(audio|video)\/[A-Za-z0-9.+_-]+$/i);
const payloadType = z.number().int().min(0).max(127);

export const RtpCodecParametersSchema = z.object({
  mimeType,
  payloadType,
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: CodecParametersSchema.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
});

export const RtpHeaderExtensionParametersSchema = z.object({
  uri: z.string().max(256),
  id: z.number().int().min(1).max(255),
  encrypt: z.boolean().optional(),
  parameters: CodecParametersSchema.optional(),
});

export const RtpEncodingParametersSchema = z.object({
  ssrc: z.number().int().nonnegative().optional(),
  rid: z.string().max(32).optional(),
  codecPayloadType: payloadType.optional(),
  rtx: z.object({ ssrc: z.number().int().nonnegative() }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().max(16).optional(),
  scaleResolutionDownBy: z.number().positive().optional(),
  maxBitrate: z.number().nonnegative().optional(),
  maxFramerate: z.number().nonnegative().optional(),
  adaptivePtime: z.boolean().optional(),
  priority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
  networkPriority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
});

export const RtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z.array(RtpCodecParametersSchema).min(1).max(16),
  headerExtensions: z.array(RtpHeaderExtensionParametersSchema).max(16).optional(),
  encodings: z.array(RtpEncodingParametersSchema).max(8).optional(),
  rtcp: z
    .object({
      cname: z.string().max(256).optional(),
      reducedSize: z.boolean().optional(),
      mux: z.boolean().optional(),
    })
    .optional(),
});
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

export const RtpCodecCapabilitySchema = z.object({
  kind: z.enum(['audio', 'video']),
  mimeType,
  preferredPayloadType: payloadType.optional(),
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: CodecParametersSchema.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).max(16).optional(),
});

export const RtpHeaderExtensionCapabilitySchema = z.object({
  kind: z.enum(['audio', 'video']),
  uri: z.string().max(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

export const RtpCapabilitiesSchema = z.object({
  codecs: z.array(RtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(RtpHeaderExtensionCapabilitySchema).max(32).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

export const DtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
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
  iceLite: z.boolean().optional(),
});
export type IceParameters = z.infer<typeof IceParametersSchema>;

export const IceCandidateSchema = z.object({
  foundation: shortString,
  priority: z.number().int().nonnegative(),
  ip: shortString,
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int().min(0).max(65535),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['active', 'passive', 'so']).optional(),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

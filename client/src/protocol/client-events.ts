import { z } from 'zod';
import { SfuEndpointSchema } from './calls-api.ts';
import { ParticipantInfoSchema } from './info.ts';
import { PreferredLayersSchema } from './layer-events.ts';
import { FieldLimit } from './limits.ts';
import {
  DtlsParametersSchema,
  IceCandidateSchema,
  IceParametersSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
} from './media-parameters.ts';
import {
  CallTypeSchema,
  ConversationIdSchema,
  MediaKindSchema,
  MediasoupIdSchema,
  ResumeTokenSchema,
  TransportDirectionSchema,
  UserIdSchema,
} from './primitives.ts';
import { MediaSourceSchema, ProduceAppDataSchema } from './track-events.ts';

/**
 * Payloads of the events a client emits, and the ack each one answers with.
 * Every ack is either its success shape or `{ error: string }`.
 */

export const ErrorAckSchema = z.object({
  error: z.string().max(FieldLimit.messageLength),
  /** Only with "This call is hosted on another server: …": where to connect instead. */
  endpoint: SfuEndpointSchema.optional(),
});
export type ErrorAck = z.infer<typeof ErrorAckSchema>;

/** `join(userId)` — the payload is the bare user id. */
export const JoinPayloadSchema = UserIdSchema;

/** `group_call_initiate` */
export const GroupCallInitiatePayloadSchema = z.object({
  callerId: UserIdSchema,
  conversationId: ConversationIdSchema,
  callType: CallTypeSchema.default('video'),
});
export type GroupCallInitiatePayload = z.input<typeof GroupCallInitiatePayloadSchema>;

/**
 * `createRoom` — `roomId` is the conversation id. `ticket` is optional: a
 * signed ticket from the control plane; seed clients omit it.
 */
export const CreateRoomPayloadSchema = z.object({
  roomId: ConversationIdSchema,
  ticket: z.string().max(FieldLimit.ticketLength).optional(),
});
export type CreateRoomPayload = z.input<typeof CreateRoomPayloadSchema>;
/**
 * `resumeToken` (additive): the device's resume credential for this call. A
 * new socket of the same user presents it in `resume` after its connection
 * dropped, and gets its participant back (see ResumePayloadSchema).
 */
export const CreateRoomAckSchema = z.object({
  rtpCapabilities: RtpCapabilitiesSchema,
  resumeToken: ResumeTokenSchema.optional(),
});
export type CreateRoomAck = z.infer<typeof CreateRoomAckSchema>;

/** `createTransport` — the original treated anything but "recv" as "send"; absent still means send. */
export const CreateTransportPayloadSchema = z.object({
  type: TransportDirectionSchema.default('send'),
});
export type CreateTransportPayload = z.input<typeof CreateTransportPayloadSchema>;
export const CreateTransportAckSchema = z.object({
  id: MediasoupIdSchema,
  iceParameters: IceParametersSchema,
  iceCandidates: z.array(IceCandidateSchema),
  dtlsParameters: DtlsParametersSchema,
});
export type CreateTransportAck = z.infer<typeof CreateTransportAckSchema>;

/** `connectTransport` */
export const ConnectTransportPayloadSchema = z.object({
  transportId: MediasoupIdSchema,
  dtlsParameters: DtlsParametersSchema,
});
export type ConnectTransportPayload = z.input<typeof ConnectTransportPayloadSchema>;
export const SuccessAckSchema = z.object({ success: z.literal(true) });
export type SuccessAck = z.infer<typeof SuccessAckSchema>;

/** `produce` */
export const ProducePayloadSchema = z.object({
  transportId: MediasoupIdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
  /** Additive: `{source}` labels the track (one producer per source per device). */
  appData: ProduceAppDataSchema.nullish(),
});
export type ProducePayload = z.input<typeof ProducePayloadSchema>;
export const ProduceAckSchema = z.object({ id: MediasoupIdSchema });
export type ProduceAck = z.infer<typeof ProduceAckSchema>;

/** One entry of `getProducers`. */
export const ProducerListItemSchema = z.object({
  id: MediasoupIdSchema,
  kind: MediaKindSchema,
  socketId: z.string(),
  participantInfo: ParticipantInfoSchema.optional(),
  /** Additive: the owner paused it (muted, camera off). */
  paused: z.boolean().optional(),
  /** Additive: what it carries, when the owner said so. */
  source: MediaSourceSchema.optional(),
});
export type ProducerListItem = z.infer<typeof ProducerListItemSchema>;
export const GetProducersAckSchema = z.object({ producers: z.array(ProducerListItemSchema) });
export type GetProducersAck = z.infer<typeof GetProducersAckSchema>;

/** `consume` */
export const ConsumePayloadSchema = z.object({
  transportId: MediasoupIdSchema,
  producerId: MediasoupIdSchema,
  rtpCapabilities: RtpCapabilitiesSchema,
  /**
   * Additive: the layers wanted from the start (a thumbnail's), so neither
   * the receiver nor the sender (dynacast) gets the top layer first.
   * Absent or null: the highest.
   */
  preferredLayers: PreferredLayersSchema.nullish(),
});
export type ConsumePayload = z.input<typeof ConsumePayloadSchema>;
export const ConsumeAckSchema = z.object({
  id: MediasoupIdSchema,
  producerId: MediasoupIdSchema,
  kind: MediaKindSchema,
  rtpParameters: RtpParametersSchema,
});
export type ConsumeAck = z.infer<typeof ConsumeAckSchema>;

/** `resumeConsumer` */
export const ResumeConsumerPayloadSchema = z.object({ consumerId: MediasoupIdSchema });
export type ResumeConsumerPayload = z.input<typeof ResumeConsumerPayloadSchema>;

/**
 * `restartIce` (additive): the server restarts ICE on one of the device's own
 * transports and answers its new ICE parameters, which the client passes to
 * its transport's `restartIce`. Used when the device's network changed.
 */
export const RestartIcePayloadSchema = z.object({ transportId: MediasoupIdSchema });
export type RestartIcePayload = z.input<typeof RestartIcePayloadSchema>;
export const RestartIceAckSchema = z.object({ iceParameters: IceParametersSchema });
export type RestartIceAck = z.infer<typeof RestartIceAckSchema>;

/**
 * `renewToken` (additive): a newer access token for the socket's own user. A
 * socket authenticated in its handshake is disconnected when its token
 * expires unless it renews it first.
 */
export const RenewTokenPayloadSchema = z.object({ token: z.string().min(1).max(8192) });
export type RenewTokenPayload = z.input<typeof RenewTokenPayloadSchema>;

/**
 * `resume` (additive): a device whose signalling connection dropped, back on
 * a new socket within the server's grace period (after `join` as the same
 * user), gets its participant back: its transports, producers and consumers,
 * and the socketId the others know it by. Each credential works once: the
 * answer carries the next one.
 */
export const ResumePayloadSchema = z.object({ resumeToken: ResumeTokenSchema });
export type ResumePayload = z.input<typeof ResumePayloadSchema>;
export const ResumeAckSchema = z.object({
  conversationId: ConversationIdSchema,
  resumeToken: ResumeTokenSchema,
});
export type ResumeAck = z.infer<typeof ResumeAckSchema>;

/** An ack is its success shape or the error shape. */
export type Ack<T> = T | ErrorAck;
export function isErrorAck(ack: unknown): ack is ErrorAck {
  return typeof ack === 'object' && ack !== null && typeof (ack as ErrorAck).error === 'string';
}

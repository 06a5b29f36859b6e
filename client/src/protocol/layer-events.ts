import { z } from 'zod';
import { MediasoupIdSchema } from './primitives.ts';

/**
 * Layer control (additive to the guide): a receiver picks the simulcast or
 * SVC layer that fits its tile, pauses what is off screen and says which
 * streams matter most when its downlink is short; the server tells it when
 * mediasoup switches the layer it forwards.
 */

/** Spatial and temporal layers of a stream: mediasoup numbers them 0 (lowest) up; browsers send at most 4. */
export const MAX_LAYER = 3;
const LayerSchema = z.number().int().min(0).max(MAX_LAYER);

/** `pauseConsumer`: stop receiving one of the device's own consumers for now (a tile off screen). */
export const ConsumerControlPayloadSchema = z.object({ consumerId: MediasoupIdSchema });
export type ConsumerControlPayload = z.input<typeof ConsumerControlPayloadSchema>;

/** The highest layers wanted of a stream; no temporal layer (absent, null) means its highest. */
export const PreferredLayersSchema = z.object({
  spatialLayer: LayerSchema,
  temporalLayer: LayerSchema.nullish(),
});
export type PreferredLayers = z.input<typeof PreferredLayersSchema>;

/** `setConsumerPreferredLayers`: the highest layers wanted on one of the device's own consumers. */
export const SetConsumerPreferredLayersPayloadSchema = PreferredLayersSchema.extend({
  consumerId: MediasoupIdSchema,
});
export type SetConsumerPreferredLayersPayload = z.input<typeof SetConsumerPreferredLayersPayloadSchema>;

/** `setConsumerPriority`: 1 (default) to 255; a short downlink serves higher priorities first. */
export const SetConsumerPriorityPayloadSchema = z.object({
  consumerId: MediasoupIdSchema,
  priority: z.number().int().min(1).max(255),
});
export type SetConsumerPriorityPayload = z.input<typeof SetConsumerPriorityPayloadSchema>;

/**
 * `consumerLayersChanged`: the layers mediasoup now forwards on one of the
 * device's consumers; both null when it forwards none (the producer or the
 * bandwidth gave out).
 */
export const ConsumerLayersChangedSchema = z.object({
  consumerId: MediasoupIdSchema,
  spatialLayer: LayerSchema.nullable(),
  temporalLayer: LayerSchema.nullable(),
});
export type ConsumerLayersChanged = z.infer<typeof ConsumerLayersChangedSchema>;

/**
 * `producerLayersWanted` (dynacast): the highest spatial layer of one of the
 * device's own simulcast producers that any receiver wants now. The sender
 * sends the layers up to it and pauses the ones above, which nobody shows,
 * saving its uplink and encoder; when a receiver wants more it comes at once.
 */
export const ProducerLayersWantedSchema = z.object({
  producerId: MediasoupIdSchema,
  spatialLayer: LayerSchema,
});
export type ProducerLayersWanted = z.infer<typeof ProducerLayersWantedSchema>;

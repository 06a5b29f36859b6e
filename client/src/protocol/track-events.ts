import { z } from 'zod';
import { FieldLimit } from './limits.ts';
import { MediasoupIdSchema, UserIdSchema } from './primitives.ts';

/**
 * Track control and speaking (additive to the guide): a device pauses,
 * resumes and closes its own producers and labels each with its source; the
 * others hear about it, and about who is speaking.
 */

/** What a producer carries: one of each per device. */
export const MediaSourceSchema = z.enum(['mic', 'camera', 'screen', 'screen-audio']);
export type MediaSource = z.infer<typeof MediaSourceSchema>;

/** `produce`'s optional appData; unknown keys are ignored, null is absent. */
export const ProduceAppDataSchema = z.object({ source: MediaSourceSchema.nullish() });
export type ProduceAppData = z.input<typeof ProduceAppDataSchema>;

/** `pauseProducer`, `resumeProducer`, `closeProducer`: one of the device's own producers. */
export const ProducerControlPayloadSchema = z.object({ producerId: MediasoupIdSchema });
export type ProducerControlPayload = z.input<typeof ProducerControlPayloadSchema>;

/** `producerPaused`, `producerResumed`, `producerClosed`: a producer of `socketId` changed. */
export const ProducerStateChangedSchema = z.object({
  producerId: MediasoupIdSchema,
  socketId: z.string(),
});
export type ProducerStateChanged = z.infer<typeof ProducerStateChangedSchema>;

/** `activeSpeaker`: the participant mediasoup's ActiveSpeakerObserver picked as dominant. */
export const ActiveSpeakerSchema = z.object({ socketId: z.string(), userId: UserIdSchema });
export type ActiveSpeaker = z.infer<typeof ActiveSpeakerSchema>;

/** `audioLevels`: the loudest audio producers, loudest first; volume in dBvo (-127 silent … 0 loudest). */
export const AudioLevelsSchema = z.object({
  levels: z
    .array(
      z.object({
        socketId: z.string(),
        userId: UserIdSchema,
        producerId: MediasoupIdSchema,
        volume: z.number().min(-127).max(0),
      }),
    )
    .max(FieldLimit.audioLevelEntries),
});
export type AudioLevels = z.infer<typeof AudioLevelsSchema>;

import type { LabParticipant, ReceivedMedia } from './lab-participant.ts';

/** Polls a participant's received media until `done` says so, within a deadline; returns the last reading. */
export async function waitForMedia(
  participant: LabParticipant,
  done: (media: ReceivedMedia) => boolean,
  options: { timeoutMs: number; what: string },
): Promise<ReceivedMedia> {
  const deadline = Date.now() + options.timeoutMs;
  let last = await participant.received();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `${participant.node.name}: ${options.what} not within ${options.timeoutMs} ms (last: ${JSON.stringify(last)})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await participant.received();
  }
  return last;
}

/** Video frames a participant decodes per second, measured over `ms`. */
export async function framesPerSecond(participant: LabParticipant, ms: number): Promise<number> {
  const start = await participant.received();
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const end = await participant.received();
  return ((end.frames - start.frames) * 1000) / (Date.now() - startedAt);
}

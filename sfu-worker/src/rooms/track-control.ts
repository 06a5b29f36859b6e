import { CallError } from '@groupcall/shared/calls';
import { ErrorMessage, type ProducerListItem, type ServerEventName } from '@groupcall/shared/protocol';
import type { types } from 'mediasoup';
import type { Participant } from './participant.ts';
import type { Room } from './room.ts';

export type ProducerAction = 'pause' | 'resume' | 'close';

/** The room event the others get for each action. */
export const producerActionEvent = {
  pause: 'producerPaused',
  resume: 'producerResumed',
  close: 'producerClosed',
} as const satisfies Record<ProducerAction, ServerEventName>;

/** What the others learn about a producer beside its id: its state and source (additive fields). */
export function producerState(producer: types.Producer): Pick<ProducerListItem, 'paused' | 'source'> {
  const source = producer.appData.source as ProducerListItem['source'];
  return source ? { paused: producer.paused, source } : { paused: producer.paused };
}

/**
 * Pauses, resumes or closes one of `participant`'s own producers. Another
 * device's producer is refused with a clear error rather than "not found",
 * so a client bug is told apart from a producer that went away. Answers
 * whether anything changed (pausing a paused producer changes nothing and
 * tells nobody).
 */
export async function controlOwnProducer(
  room: Room,
  participant: Participant,
  producerId: string,
  action: ProducerAction,
): Promise<boolean> {
  const producer = participant.ownsProducer(producerId);
  if (!producer) {
    if (room.findProducer(producerId)) throw new CallError('forbidden', ErrorMessage.notYourProducer);
    throw new CallError('not-found', ErrorMessage.producerNotFound);
  }
  if (action === 'close') {
    producer.close();
    return true;
  }
  if (producer.paused === (action === 'pause')) return false;
  if (action === 'pause') await producer.pause();
  else await producer.resume();
  return true;
}

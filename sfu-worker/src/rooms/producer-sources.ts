import { CallError } from '@groupcall/shared/calls';
import { ErrorMessage, type MediaKind, type MediaSource } from '@groupcall/shared/protocol';

const kindOfSource: Record<MediaSource, MediaKind> = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
  'screen-audio': 'audio',
};

/**
 * The sources a device sends from: at most one producer per source, so a
 * screen share is told apart from the camera and a second microphone is
 * refused. Claimed before mediasoup creates the producer, so two concurrent
 * `produce`s for one source cannot both pass.
 */
export class ProducerSources {
  readonly #claimed = new Set<MediaSource>();

  /** Claims `source` for a new producer of `kind`; the returned function releases it. */
  claim(source: MediaSource | undefined, kind: MediaKind): () => void {
    if (!source) return () => undefined;
    if (kindOfSource[source] !== kind)
      throw new CallError('invalid-request', ErrorMessage.sourceKindMismatch);
    if (this.#claimed.has(source)) throw new CallError('conflict', ErrorMessage.sourceAlreadyProduced);
    this.#claimed.add(source);
    return () => this.#claimed.delete(source);
  }
}

import type { ConversationInfo } from '@groupcall/client';
import { avatar, el } from './dom.ts';

/**
 * "Join call" banners: one per call in progress in our groups, from
 * `group_call_started` until `group_call_ended`, hidden for the call we are in.
 */
export class CallBanners {
  readonly #container: HTMLElement;
  readonly #onJoin: (conversationId: string) => void;
  readonly #active = new Map<string, ConversationInfo>();
  #current: string | undefined;

  constructor(container: HTMLElement, onJoin: (conversationId: string) => void) {
    this.#container = container;
    this.#onJoin = onJoin;
  }

  started(conversation: ConversationInfo): void {
    this.#active.set(conversation.id, conversation);
    this.#render();
  }

  ended(conversationId: string): void {
    this.#active.delete(conversationId);
    this.#render();
  }

  /** The call we are in (no banner for it), or undefined. */
  setCurrentCall(conversationId: string | undefined): void {
    this.#current = conversationId;
    this.#render();
  }

  #render(): void {
    const banners = [...this.#active.values()]
      .filter((conversation) => conversation.id !== this.#current)
      .map((conversation) => {
        const join = el('button', { type: 'button', 'data-testid': 'join-banner-button' }, 'Join call');
        join.addEventListener('click', () => this.#onJoin(conversation.id));
        return el(
          'div',
          { class: 'banner', 'data-testid': 'join-banner', 'data-conversation-id': conversation.id },
          avatar(conversation.name, conversation.avatar),
          el('span', { class: 'banner-text' }, `${conversation.name}: a call is in progress`),
          join,
        );
      });
    this.#container.replaceChildren(...banners);
  }
}

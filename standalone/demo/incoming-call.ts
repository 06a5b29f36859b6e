import type { GroupCallIncoming } from '@groupcall/client';
import { avatar, byId } from './dom.ts';

/**
 * The incoming-call prompt: the caller's name and avatar and the group's
 * name, from `group_call_incoming`. Accepting and declining are the app's
 * (through the control plane); the prompt goes away at once, and on the
 * user's other devices when the server says the ring stopped.
 */
export class IncomingCallView {
  readonly #root = byId('incoming');
  #call: GroupCallIncoming | undefined;

  constructor(handlers: {
    onAccept: (call: GroupCallIncoming) => void;
    onDecline: (call: GroupCallIncoming) => void;
  }) {
    const answer = (handle: (call: GroupCallIncoming) => void) => () => {
      const call = this.#call;
      this.hide();
      if (call) handle(call);
    };
    byId('accept').addEventListener('click', answer(handlers.onAccept));
    byId('decline').addEventListener('click', answer(handlers.onDecline));
  }

  show(call: GroupCallIncoming): void {
    this.#call = call;
    const { callerInfo, conversationInfo } = call;
    byId('incoming-caller-avatar').replaceChildren(avatar(callerInfo.name, callerInfo.avatar, 'large'));
    byId('incoming-caller-name').textContent = callerInfo.name;
    byId('incoming-group-avatar').replaceChildren(avatar(conversationInfo.name, conversationInfo.avatar));
    byId('incoming-group-name').textContent = conversationInfo.name;
    byId('incoming-call-type').textContent = call.callType === 'video' ? 'Video call' : 'Audio call';
    this.#root.dataset.conversationId = call.conversationId;
    this.#root.hidden = false;
  }

  /** Hides the prompt; with a conversation id, only if it is that call's. */
  hide(conversationId?: string): void {
    if (conversationId !== undefined && this.#call?.conversationId !== conversationId) return;
    this.#call = undefined;
    this.#root.hidden = true;
  }
}

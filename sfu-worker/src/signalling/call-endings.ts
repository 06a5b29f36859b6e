import type { UserNotifier } from '@groupcall/shared/calls';
import type { Logger } from '@groupcall/shared/logging';
import type { CallAccess } from '../access/call-access.ts';
import type { CallLifecycle } from '../lifecycle/call-lifecycle.ts';

/**
 * What happens once when a call ends on this pod, in this order: every
 * member hears `group_call_ended` (the member list is read from the call
 * state first), then the control plane is told, which forgets the call and
 * its members — the other way round the list could be gone before it is read.
 */
export class CallEndings {
  readonly #access: CallAccess;
  readonly #notifier: UserNotifier;
  readonly #lifecycle: CallLifecycle;
  readonly #log: Logger;

  constructor(options: {
    access: CallAccess;
    notifier: UserNotifier;
    lifecycle: CallLifecycle;
    log: Logger;
  }) {
    this.#access = options.access;
    this.#notifier = options.notifier;
    this.#lifecycle = options.lifecycle;
    this.#log = options.log;
  }

  async ended(conversationId: string): Promise<void> {
    try {
      const members = await this.#access.memberIds(conversationId);
      this.#notifier.notifyUsers(members, 'group_call_ended', { conversationId });
    } catch (error) {
      this.#log.error({ conversationId, err: error }, 'could not tell the members that the call ended');
    }
    this.#lifecycle.ended(conversationId);
  }
}

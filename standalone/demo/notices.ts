import { el } from './dom.ts';

const MAX_ERRORS = 5;
const MAX_ACTIVITY = 100;

/** What the user should see: errors (until dismissed) and a log of call activity. */
export class Notices {
  readonly #errors: HTMLElement;
  readonly #activity: HTMLElement;

  constructor(errors: HTMLElement, activity: HTMLElement) {
    this.#errors = errors;
    this.#activity = activity;
  }

  error(message: string): void {
    const dismiss = el('button', { type: 'button', 'aria-label': 'Dismiss' }, '×');
    const notice = el(
      'div',
      { class: 'error', 'data-testid': 'error', role: 'alert' },
      el('span', {}, message),
      dismiss,
    );
    dismiss.addEventListener('click', () => notice.remove());
    this.#errors.append(notice);
    while (this.#errors.childElementCount > MAX_ERRORS) this.#errors.firstElementChild?.remove();
    this.activity('error', message);
  }

  /** `event` names the entry's kind (data-event), so it can be found by tests and styles. */
  activity(event: string, text: string): void {
    const time = new Date().toLocaleTimeString();
    this.#activity.prepend(el('li', { 'data-event': event }, `${time} ${text}`));
    while (this.#activity.childElementCount > MAX_ACTIVITY) this.#activity.lastElementChild?.remove();
  }
}

import type { Directory } from '@groupcall/shared/directory';

/** Counts the queries the control plane makes (the in-memory directory has no query log of its own). */
export class CountingDirectory implements Directory {
  readonly #inner: Directory;
  queries = 0;

  constructor(inner: Directory) {
    this.#inner = inner;
  }

  conversationMembers(conversationId: string) {
    this.queries += 1;
    return this.#inner.conversationMembers(conversationId);
  }

  membership(conversationId: string, userId: string) {
    this.queries += 1;
    return this.#inner.membership(conversationId, userId);
  }
}

/** Small DOM helpers: the demo has no framework. */

type Attributes = Record<string, string | boolean | undefined>;

/** Creates an element; `true` sets a boolean attribute, `false`/undefined leaves it out. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children);
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
}

/** "Alice" → "A", "Team Alpha" → "TA". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (
    words
      .slice(0, 2)
      .map((word) => word[0]?.toUpperCase() ?? '')
      .join('') || '?'
  );
}

/**
 * A round avatar: the image when there is one, else the initials. An image
 * that fails to load (offline, blocked) falls back to the initials too.
 */
export function avatar(name: string, url: string | null, size: 'normal' | 'large' = 'normal'): HTMLElement {
  const element = el('span', { class: size === 'large' ? 'avatar large' : 'avatar', title: name });
  const showInitials = () => {
    element.dataset.avatar = 'initials';
    element.replaceChildren(initials(name));
  };
  if (!url) {
    showInitials();
    return element;
  }
  element.dataset.avatar = 'image';
  const image = el('img', { src: url, alt: '', referrerpolicy: 'no-referrer' });
  image.addEventListener('error', showInitials, { once: true });
  element.append(image);
  return element;
}

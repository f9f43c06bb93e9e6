// @ts-check
// Building DOM nodes safely: strings always become text nodes, never markup.

/** @typedef {Node | string | number | null | undefined | false} Child */
/** @typedef {Child | Child[]} Children */

/**
 * el("li", {class: "x", dataset: {testid: "a"}, onclick: fn}, "text", child)
 * Attributes starting with "on" become listeners; "dataset" fills data-*; "text" sets textContent.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attrs]
 * @param {...Children} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * @template {Element} E
 * @param {E} node
 * @returns {E}
 */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/**
 * @param {string} id
 * @returns {any} the element (typed loosely: screens know what their ids are)
 */
export function $(id) {
  return document.getElementById(id);
}

/**
 * Say something to screen-reader users through the polite live region.
 * @param {string} text
 */
export function announce(text) {
  const region = $("announcer");
  if (!region) return;
  region.textContent = "";
  // A new text node in a cleared region is announced even when the text repeats.
  requestAnimationFrame(() => {
    region.textContent = text;
  });
}

/**
 * A small notice in the page. With a tag, a newer notice of the same tag (the same
 * conversation, request or contact) replaces the older one instead of stacking; with
 * onClick, the notice is a button that does it (open the conversation) and goes away.
 * @param {string} text
 * @param {{timeout?: number, tag?: string, onClick?: (() => void) | null}} [options]
 */
export function toast(text, { timeout = 6000, tag = "", onClick = null } = {}) {
  const box = $("toasts");
  if (!box) return;
  if (tag) dismissToast(tag);
  const item = onClick
    ? el("button", { type: "button", class: "toast toast-action", dataset: { testid: "toast", tag } }, text)
    : el("div", { class: "toast", dataset: { testid: "toast", tag } }, text);
  if (onClick) {
    const act = onClick;
    item.addEventListener("click", () => {
      item.remove();
      act();
    });
  }
  box.append(item);
  timers.set(item, setTimeout(() => item.remove(), timeout));
}

/** @type {WeakMap<Element, ReturnType<typeof setTimeout>>} a notice's timer that takes it away */
const timers = new WeakMap();

/**
 * Take away the notice of a tag, once what it told is no longer news (answered, opened).
 * @param {string} tag
 */
export function dismissToast(tag) {
  for (const item of /** @type {NodeListOf<HTMLElement>} */ ($("toasts")?.querySelectorAll(".toast") || [])) {
    if (item.dataset.tag === tag) {
      clearTimeout(timers.get(item));
      item.remove();
    }
  }
}

// http(s) and mailto only; any other scheme (javascript:, data:) never matches and stays text.
const LINK = /((?:https?:\/\/|mailto:)[^\s<>"]*[^\s<>".,;:!?)'\]])/i;

/**
 * What someone wrote, its links as anchors made with DOM nodes (never markup).
 * @param {unknown} text
 * @returns {(string | HTMLAnchorElement)[]}
 */
export function linked(text) {
  return String(text).split(LINK).map((x, i) => (i % 2 ? el("a", { href: x, target: "_blank", rel: "noopener noreferrer" }, x) : x));
}

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
 * Draw a list again without losing what the user is doing in it: the element that had the
 * keyboard focus (found again by its data-testid), the caret or selection in that field,
 * and what was typed in any field of it. Lists redraw on news from the server too (a
 * colleague's change, the answer to a request just made), at any moment.
 * @param {HTMLElement} list
 * @param {(list: HTMLElement) => void} fill
 */
export function redraw(list, fill) {
  /** @type {Map<string | undefined, string>} testid -> what is typed */
  const typed = new Map();
  for (const input of list.querySelectorAll("input")) {
    if (input.value !== input.defaultValue) typed.set(input.dataset.testid, input.value);
  }
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const focused = active && list.contains(active) ? active.dataset.testid : null;
  // A name selected to be replaced must still be selected when the next key comes.
  const selection = active instanceof HTMLInputElement && focused
    ? /** @type {const} */ ([active.selectionStart, active.selectionEnd, active.selectionDirection]) : null;
  clear(list);
  fill(list);
  for (const input of list.querySelectorAll("input")) {
    const value = typed.get(input.dataset.testid);
    if (value !== undefined) input.value = value;
  }
  if (!focused) return;
  const node = /** @type {HTMLElement | null} */ (list.querySelector(`[data-testid="${focused}"]`));
  node?.focus();
  if (node instanceof HTMLInputElement && selection && selection[0] !== null && selection[1] !== null) {
    node.setSelectionRange(selection[0], selection[1], selection[2] ?? undefined);
  }
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

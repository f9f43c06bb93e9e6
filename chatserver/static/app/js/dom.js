// Building DOM nodes safely: strings always become text nodes, never markup.

/**
 * el("li", {class: "x", dataset: {testid: "a"}, onclick: fn}, "text", child)
 * Attributes starting with "on" become listeners; "dataset" fills data-*; "text" sets textContent.
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

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function $(id) {
  return document.getElementById(id);
}

/** Say something to screen-reader users through the polite live region. */
export function announce(text) {
  const region = $("announcer");
  if (!region) return;
  region.textContent = "";
  // A new text node in a cleared region is announced even when the text repeats.
  requestAnimationFrame(() => {
    region.textContent = text;
  });
}

export function toast(text, { timeout = 6000 } = {}) {
  const box = $("toasts");
  if (!box) return;
  const item = el("div", { class: "toast", dataset: { testid: "toast" } }, text);
  box.append(item);
  setTimeout(() => item.remove(), timeout);
}

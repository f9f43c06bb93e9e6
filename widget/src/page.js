// @ts-check
// Where the widget is embedded: its script tag names the site (data-site) and whether this
// is the console's preview (data-preview); the script's own origin is the chat server's.

/**
 * @typedef {object} Page
 * @property {string | number} site the site's id, as the visit sends it
 * @property {string} origin the chat server's origin
 * @property {string} key the prefix of this site's keys in the browser's storage
 * @property {boolean} preview the console's preview (no visit, no socket)
 * @property {string | undefined} spoken the first of the browser's languages that we speak
 * @property {string} lang the language now (the site's default can change it later)
 */

/**
 * The widget's own script tag: the current script, or (loaded by the /widget.js loader,
 * after the page) the one with data-site whose address is a widget's.
 * @returns {HTMLScriptElement | null}
 */
export function ownScript() {
  return /** @type {HTMLScriptElement | null | undefined} */ (
    document.currentScript ||
    [.../** @type {NodeListOf<HTMLScriptElement>} */ (document.querySelectorAll("script[data-site]"))].find((s) => /\/widget(\/\w+)?\.js(\?|#|$)/.test(s.src))) || null;
}

/**
 * @param {HTMLScriptElement} me the widget's script tag
 * @returns {Page}
 */
export function readPage(me) {
  const raw = me.getAttribute("data-site") || "";
  const origin = new URL(me.src, location.href).origin;
  const key = `cslc:${origin}:${raw}`;
  // The first of the browser's languages that we speak, else the site's default (the
  // visit's look.language, remembered for the next page), else English.
  const spoken = (navigator.languages || [navigator.language || ""]).map((l) => l.slice(0, 2).toLowerCase()).find((l) => l === "nl" || l === "en");
  const lang = spoken || (() => { try { return localStorage.getItem(`${key}:lang`); } catch { return null; } })() || "en";
  return { site: /^\d+$/.test(raw) ? Number(raw) : raw, origin, key, preview: me.hasAttribute("data-preview"), spoken, lang };
}

/** @typedef {(area: "localStorage" | "sessionStorage", name: string, value?: unknown) => any} Store */

/**
 * The browser's storage under this site's key: the token in localStorage (shared by the
 * site's tabs), the stream's position and the open panel per tab in sessionStorage.
 * store(area, name) reads, store(area, name, null) forgets, store(area, name, value) writes.
 * @param {string} key
 * @returns {Store}
 */
export function storage(key) {
  return (area, name, value) => {
    try {
      const s = window[area];
      if (value === undefined) return JSON.parse(s.getItem(`${key}:${name}`) || "null");
      if (value === null) s.removeItem(`${key}:${name}`);
      else s.setItem(`${key}:${name}`, JSON.stringify(value));
    } catch {
      return null; // storage blocked: the widget still works for this page
    }
    return null;
  };
}

// @ts-check
// The widget's texts and elements: t(key) in the language now; an attribute or text made
// with T(key) when an element is built is filled in then and kept, so a language that the
// visit names later (the site's default) relabels it.
import { el } from "../../chatserver/static/shared/dom.js";
import { translator } from "../../chatserver/static/shared/i18n.js";
import { STRINGS } from "./strings.js";

/** @typedef {import("../../chatserver/static/shared/dom.js").Children} Children */
/** @typedef {{k: string, p?: Record<string, unknown>}} Label a text by key, kept to relabel */

/**
 * @param {{lang: string}} page read at each t(), so a new language shows at once
 */
export function labeller(page) {
  const t = translator(STRINGS, () => page.lang);
  /** @type {[HTMLElement, string, string, Record<string, unknown> | undefined][]} */
  const labels = [];
  /**
   * @param {string} k
   * @param {Record<string, unknown>} [p]
   * @returns {Label}
   */
  const T = (k, p) => ({ k, p });

  // The shared el() (strings become text nodes, never markup), with T() labels filled in.
  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {Record<string, any>} [attrs]
   * @param {...Children} kids
   * @returns {HTMLElementTagNameMap[K]}
   */
  const h = (tag, attrs = {}, ...kids) => {
    /** @type {Record<string, any>} */
    const filled = {};
    for (const [k, v] of Object.entries(attrs)) filled[k] = v && v.k ? t(v.k, v.p) : v;
    const n = el(tag, filled, ...kids);
    for (const [k, v] of Object.entries(attrs)) if (v && v.k) labels.push([n, k, v.k, v.p]);
    return n;
  };

  /** Every label made with T(), again in the language now. */
  const relabel = () => {
    for (const [n, k, key, p] of labels) k === "text" ? (n.textContent = t(key, p)) : n.setAttribute(k, t(key, p));
  };
  return { t, T, h, relabel };
}

/** @typedef {ReturnType<typeof labeller>} Labels */

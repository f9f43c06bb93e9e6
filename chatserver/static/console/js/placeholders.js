// @ts-check
// Placeholders in canned responses, filled in when one is inserted in the reply box
// (docs/livechat.md, Canned responses): {{visitor.name}}, {{operator.name}}, {{site.name}}
// and a few more. A placeholder this list does not know, or one without a value (a visitor
// who gave no name), stays as written, so the operator sees it and fills it in before
// sending; the first one left is selected, ready to be typed over.

// {{ name }}: letters, digits, dots and underscores, spaces allowed inside the braces.
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/gu;

const first = (/** @type {string | null | undefined} */ name) => (name || "").trim().split(/\s+/)[0] || "";

/** The values a conversation gives: {"visitor.name": "...", ...}; empty when unknown. */
/**
 * @param {import("./state.js").LiveConversation | null} conv
 * @param {{name: string} | null} me
 * @returns {Record<string, string>}
 */
export function placeholderValues(conv, me) {
  const v = (conv && conv.visitor) || {};
  return {
    "visitor.name": v.name || "",
    "visitor.first_name": first(v.name),
    "visitor.email": v.email || "",
    "visitor.phone": v.phone || "",
    "operator.name": (me && me.name) || "",
    "operator.first_name": first(me && me.name),
    "site.name": (conv && conv.site && conv.site.name) || "",
  };
}

/** The names a canned response may use, for the help text. */
export const PLACEHOLDERS = Object.keys(placeholderValues(null, null));

/** ``text`` with every known placeholder that has a value filled in; ``left``: the
 * [start, end) of each placeholder left as written, in the returned text.
 * @param {string} text
 * @param {Record<string, string>} values
 */
export function fillPlaceholders(text, values) {
  /** @type {[number, number][]} */
  const left = [];
  let out = "";
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += text.slice(last, m.index);
    const value = values[m[1].toLowerCase()];
    if (value) {
      out += value;
    } else {
      left.push([out.length, out.length + m[0].length]);
      out += m[0];
    }
    last = m.index + m[0].length;
  }
  return { text: out + text.slice(last), left };
}

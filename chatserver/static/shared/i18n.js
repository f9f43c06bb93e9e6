// @ts-check
// The one i18n core of every screen (app, console, video pages, widget): the language,
// t(key, params) over a screen's string tables, and the error mapper that turns a server
// error into a sentence in the user's language. The tables themselves stay with their
// screens (tests/test_i18n_keys.py reads them there).

/** @typedef {Record<string, string>} Table one language's texts by key */
/** @typedef {Record<string, Table>} Tables {en: {...}, nl: {...}}; English is the fallback */
/** @typedef {Record<string, unknown>} Params values for {name} placeholders */
/**
 * What a server error carries (an ApiError, or an error event's `error`).
 * @typedef {{code?: string, message?: string, status?: number, details?: Params}} ServerError
 */

/**
 * Fill {name} placeholders from params; a placeholder without a value stays visible, so a
 * missing parameter shows up in a screenshot instead of vanishing.
 * @param {string} text
 * @param {Params} [params]
 * @returns {string}
 */
export function fill(text, params = {}) {
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/**
 * The language to start in: a saved choice the tables know, else the browser's (Dutch for
 * any nl-*, English otherwise).
 * @param {Tables} tables
 * @param {string | null} [saved]
 * @returns {string}
 */
export function pickLanguage(tables, saved = null) {
  if (saved && tables[saved]) return saved;
  return (navigator.language || "en").toLowerCase().startsWith("nl") && tables.nl ? "nl" : "en";
}

/**
 * t(key, params): the text in the language lang() names, else English, else the key itself.
 * @param {Tables} tables
 * @param {() => string} lang
 * @returns {(key: string, params?: Params) => string}
 */
export function translator(tables, lang) {
  return (key, params = {}) => fill(tables[lang()]?.[key] ?? tables.en[key] ?? key, params);
}

/** @type {Record<number, string>} */
const BY_STATUS = { 400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "too_large", 429: "rate_limited" };

/**
 * The error mapper. A server error becomes, in this order: our text for its code and reason
 * (`err_<code>_<details.reason>`), for its code and field (`err_<code>_<details.field>`), or
 * for its code (`err_<code>`), each only when the error's details fill every placeholder of
 * the text (the refused number, the bounds); else `next(err)` when given (a screen's table in
 * front of the app's); else, for English readers, the server's own message (it is English),
 * and for others a sentence for its HTTP status.
 * @param {Tables} tables
 * @param {() => string} lang
 * @param {(err: ServerError) => string} [next]
 * @returns {(err: unknown) => string} takes what a catch caught: an ApiError, another Error, anything
 */
export function errorMapper(tables, lang, next) {
  return (caught) => {
    // Not an object (a string thrown, null): its text is the message.
    const err = /** @type {ServerError} */ (caught && typeof caught === "object" ? caught : { message: String(caught) });
    const details = (err && err.details) || {};
    const code = err && err.code;
    const keys = [details.reason ? `err_${code}_${details.reason}` : "", details.field ? `err_${code}_${details.field}` : "", `err_${code}`];
    for (const key of keys) {
      const text = key ? tables.en[key] : undefined;
      if (!text) continue;
      const needs = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (needs.every((name) => details[name] !== undefined && details[name] !== "")) {
        return fill(tables[lang()]?.[key] ?? text, details);
      }
    }
    if (next) return next(err || {});
    const message = (err && err.message) || String(err);
    if (lang() === "en") return message;
    const status = (err && err.status) || 0;
    const general = BY_STATUS[status] || (status >= 500 ? "internal" : null);
    return general && tables.en[`err_${general}`] ? fill(tables[lang()]?.[`err_${general}`] ?? tables.en[`err_${general}`]) : message;
  };
}

/**
 * A screen's i18n: its tables, the language saved under storageKey (shared by the screen's
 * tabs), t, the error mapper, switching languages, and extend() for the texts of the
 * screen's parts (one table, one t, the same languages).
 * @param {Tables} tables
 * @param {string} storageKey
 */
export function createI18n(tables, storageKey) {
  /** @type {Set<(code: string) => void>} */
  const listeners = new Set();
  let current = pickLanguage(tables, readSaved(storageKey));
  const lang = () => current;
  const t = translator(tables, lang);

  /**
   * Fill every element marked data-i18n (text) or data-i18n-placeholder.
   * @param {ParentNode} root
   */
  function applyStatic(root) {
    document.documentElement.lang = current;
    for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(/** @type {HTMLElement} */ (node).dataset.i18n || "");
    for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
      const input = /** @type {HTMLInputElement} */ (node);
      input.placeholder = t(input.dataset.i18nPlaceholder || "");
    }
    for (const sel of root.querySelectorAll("select.lang-select")) /** @type {HTMLSelectElement} */ (sel).value = current;
  }

  return {
    tables,
    LANGUAGES: Object.keys(tables),
    lang,
    t,
    errorText: errorMapper(tables, lang),
    applyStatic,
    /** @param {string} code */
    setLang(code) {
      if (!tables[code] || code === current) return;
      current = code;
      try {
        localStorage.setItem(storageKey, code);
      } catch {
        // storage blocked: the choice holds for this page
      }
      applyStatic(document);
      for (const fn of listeners) fn(code);
    },
    /** @param {(code: string) => void} fn */
    onLangChange(fn) {
      listeners.add(fn);
    },
    /**
     * A part's own texts (the video call page's, the webhooks screen's), added to the table.
     * @param {Tables} more
     */
    extend(more) {
      for (const [code, table] of Object.entries(more)) {
        if (tables[code]) Object.assign(tables[code], table);
      }
    },
  };
}

/**
 * @param {string} key
 * @returns {string | null}
 */
function readSaved(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

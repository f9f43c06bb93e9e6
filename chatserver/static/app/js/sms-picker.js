// @ts-check
// The recipient picker (SM-4, SM-14): type a mobile number and press Enter, or type a name
// and choose among SMS groups, colleagues, candidates/people, organisations, folders,
// groups and dynamic groups (GET /api/sms/search), each added as included or excluded.
// The groups screen reuses it with fewer kinds and no exclude.
import { clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import { smsGet } from "./sms-util.js";

/**
 * A recipient: a typed number, or a search result (a person, a colleague, a group, ...),
 * included or excluded.
 * @typedef {object} SmsItem
 * @property {string} type "number", "person", "user", "sms_group", "organisation", "folder", "group", "dynamic_group"
 * @property {number} [id] all but a number
 * @property {string} [number] a number's
 * @property {string} [name]
 * @property {"include" | "exclude"} [mode]
 * @property {string} [detail] a search result's: a person's kind, a colleague's function
 */

export const ALL_KINDS = ["person", "user", "sms_group", "organisation", "folder", "group", "dynamic_group"];
const DEBOUNCE_MS = 250;
let uid = 0;

/**
 * Looks like a phone number rather than a name: digits with + ( ) - . spaces.
 * @param {string} text
 */
export function looksLikeNumber(text) {
  const t = text.trim();
  return /^[+(]?[0-9][0-9 ()\-.]*$/.test(t) && t.replace(/\D/g, "").length >= 6;
}

/** A pasted or typed list of numbers: one per line or separated by commas, semicolons or
 *  tabs (as copied from a spreadsheet column or an e-mail). Null when it is not a list.
 * @param {string} text
 */
export function splitList(text) {
  if (!/[\n\r,;\t]/.test(text)) return null;
  const parts = text.split(/[\n\r,;\t]+/).map((p) => p.trim()).filter(Boolean);
  return parts.length > 1 ? parts : null;
}

/**
 * One line about a selection item or search result: "Colleague: Anna (+316...)".
 * @param {SmsItem} item
 */
export function describe(item) {
  const kind = st(`kind_${item.type}`);
  const name = item.name || item.number || `#${item.id}`;
  const number = item.number && item.name ? ` (${item.number})` : "";
  const detail = detailText(item);
  return `${kind}: ${name}${number}${detail ? ` \u00b7 ${detail}` : ""}`;
}

/** The server's detail: a person's kind (a code: translated), a colleague's function (their
 *  own words); for groups, organisations and folders it only repeats the kind, so it goes.
 * @param {SmsItem} item
 */
function detailText(item) {
  if (!item.detail) return "";
  if (item.type === "person") {
    const key = `personKind_${item.detail}`;
    return st(key) === key ? item.detail : st(key);
  }
  if (item.type === "user") return item.detail;
  return "";
}

/**
 * picker({kinds, withMode, allowNumbers, onAdd, testid}) -> element.
 * onAdd(item) gets {type, id?, number?, name, mode}; it may return a promise or throw
 * an error to show.
 * @param {{kinds?: string[], withMode?: boolean, allowNumbers?: boolean, onAdd: (item: SmsItem) => unknown, testid?: string}} options
 */
export function picker({ kinds = ALL_KINDS, withMode = true, allowNumbers = true, onAdd, testid = "sms-picker" }) {
  const n = ++uid;
  const inputId = `sms-pick-${n}`;
  const input = el("input", {
    id: inputId,
    type: "text",
    autocomplete: "off",
    "aria-describedby": `sms-pick-hint-${n}`,
    "aria-controls": `sms-pick-results-${n}`,
    dataset: { testid: `${testid}-input` },
  });
  const kindSelect = el("select", { id: `sms-pick-kind-${n}`, dataset: { testid: `${testid}-kind` } });
  kindSelect.append(el("option", { value: kinds.join(",") }, st("allKinds")));
  for (const kind of kinds) kindSelect.append(el("option", { value: kind }, st(`kind_${kind}`)));
  const modeSelect = el(
    "select",
    { id: `sms-pick-mode-${n}`, dataset: { testid: `${testid}-mode` } },
    el("option", { value: "include" }, st("include")),
    el("option", { value: "exclude" }, st("exclude")),
  );
  const hint = el("p", { id: `sms-pick-hint-${n}`, class: "muted", role: "status", dataset: { testid: `${testid}-hint` } },
    allowNumbers ? st("addRecipientHint") : st("typeToSearch"));
  const results = el("ul", {
    id: `sms-pick-results-${n}`,
    class: "plain sms-suggestions",
    "aria-label": st("addRecipient"),
    dataset: { testid: `${testid}-results` },
  });
  const error = el("p", { class: "error", role: "alert", dataset: { testid: `${testid}-error` } });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let asked = 0;

  /** @returns {"include" | "exclude"} */
  const mode = () => (withMode && modeSelect.value === "exclude" ? "exclude" : "include");

  /** @param {SmsItem} item */
  async function add(item) {
    error.textContent = "";
    try {
      await onAdd({ ...item, mode: mode() });
    } catch (err) {
      error.textContent = smsError(err);
      return false;
    }
    return true;
  }

  async function addNumber() {
    const value = input.value.trim();
    if (!value) return;
    if (await add({ type: "number", number: value, name: "" })) {
      // The user may have typed the next one while this was checked: keep that.
      if (input.value.trim() === value) input.value = "";
      clear(results);
    }
  }

  /** Add each number of a list, one after the other so the chips keep its order; each is
   *  checked as a typed one is. What is refused stays in the field to be corrected. */
  /** @param {string[]} parts */
  async function addList(parts) {
    clearTimeout(timer);
    clear(results);
    input.value = "";
    const refused = [];
    const reasons = [];
    let added = 0;
    for (const part of parts) {
      if (!looksLikeNumber(part)) {
        refused.push(part);
        reasons.push(st("err_invalid_number_not_a_number", { number: part }));
        continue;
      }
      try {
        await onAdd({ type: "number", number: part, name: "", mode: mode() });
        added += 1;
      } catch (err) {
        refused.push(part);
        reasons.push(smsError(err));
      }
    }
    // Anything typed meanwhile goes after the refused ones, not lost.
    input.value = [...refused, input.value.trim()].filter(Boolean).join(", ");
    hint.textContent = st("listAdded", { added, total: parts.length });
    error.textContent = reasons.join(" ");
  }

  async function search() {
    const q = input.value.trim();
    if (q.length < 2 || (allowNumbers && looksLikeNumber(q))) {
      clear(results);
      return;
    }
    const mine = ++asked;
    let data;
    try {
      data = await smsGet(`/api/sms/search?${new URLSearchParams({ q, types: kindSelect.value })}`);
    } catch (err) {
      if (mine === asked) hint.textContent = smsError(err);
      return;
    }
    if (mine !== asked) return; // an older answer: a newer one is on its way
    clear(results);
    const items = data.items || [];
    for (const item of /** @type {SmsItem[]} */ (items)) {
      const text = describe(item);
      results.append(
        el("li", {}, el("button", {
          type: "button",
          class: "sms-suggestion",
          "aria-label": st("addThis", { name: text }),
          dataset: { testid: `${testid}-result`, type: item.type, id: String(item.id) },
          onclick: async () => {
            if (await add(item)) {
              input.value = "";
              clear(results);
              input.focus();
            }
          },
        }, text)),
      );
    }
    hint.textContent = items.length ? "" : st("noResults");
  }

  input.addEventListener("input", () => {
    // The error was about what stood in the field: once that is changed or gone, so is it.
    error.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      const list = allowNumbers ? splitList(input.value) : null;
      if (list) addList(list);
      else if (allowNumbers && looksLikeNumber(input.value)) addNumber();
      else search();
    } else if (ev.key === "ArrowDown") {
      const first = results.querySelector("button");
      if (first) {
        ev.preventDefault();
        first.focus();
      }
    }
  });
  results.addEventListener("keydown", (ev) => {
    const buttons = [...results.querySelectorAll("button")];
    const i = buttons.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
    if (ev.key === "ArrowDown" && i >= 0 && i < buttons.length - 1) buttons[i + 1].focus();
    else if (ev.key === "ArrowUp") (i > 0 ? buttons[i - 1] : input).focus();
    else if (ev.key === "Escape") input.focus();
    else return;
    ev.preventDefault();
  });
  // A one-line field would run a pasted column into one line: take the list as it is.
  input.addEventListener("paste", (ev) => {
    if (!allowNumbers) return;
    const list = splitList(ev.clipboardData ? ev.clipboardData.getData("text") : "");
    if (!list) return;
    ev.preventDefault();
    error.textContent = "";
    addList(list);
  });
  kindSelect.addEventListener("change", search);

  return el(
    "div",
    { class: "sms-picker", dataset: { testid } },
    el("div", { class: "sms-picker-row" },
      el("span", { class: "field" }, el("label", { for: inputId }, allowNumbers ? st("addRecipient") : st("name")), input),
      // With one kind there is nothing to choose: the select stays out of the way.
      kinds.length > 1 ? el("span", { class: "field" }, el("label", { for: kindSelect.id }, st("searchIn")), kindSelect) : null,
      withMode ? el("span", { class: "field" }, el("label", { for: modeSelect.id }, st("addAs")), modeSelect) : null,
      allowNumbers ? el("button", { type: "button", dataset: { testid: `${testid}-add-number` }, onclick: addNumber }, st("addNumber")) : null,
    ),
    hint,
    error,
    results,
  );
}

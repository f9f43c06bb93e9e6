// @ts-check
// The directory (AC-4): colleagues, candidates, contact persons and records found by a piece of
// their name, function or e-mail; a candidate, contact person or record opens its record's page
// (record-page.js). Hash routes, so Back and links work:
//   #/directory[?q=TEXT&kind=KIND]      #/records/ID
import { get, post } from "../../shared/api.js";
import { $, announce, clear, el, toast } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import "./records-i18n.js";
import { renderRecord } from "./record-page.js";
import { on } from "./store.js";
import { openChat } from "./ui-chat.js";

const KINDS = ["colleague", "candidate", "contact_person", "record"];
let started = false;
let routing = 0;
/** @type {(() => void) | null} */
let leave = null; // the open screen's goodbye (the record page pauses its players)
let lastSearch = "#/directory";

/** @returns {{name: "directory", params: URLSearchParams} | {name: "record", id: string} | null} */
function parseRoute() {
  const [path, query] = (location.hash || "").slice(1).split("?");
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "directory" && parts.length === 1) return { name: "directory", params: new URLSearchParams(query || "") };
  if (parts[0] === "records" && /^\d{1,18}$/.test(parts[1] || "")) return { name: "record", id: parts[1] };
  return null;
}

/** @param {boolean} visible */
function showSection(visible) {
  $("records-view").hidden = !visible;
  $("directory-open").setAttribute("aria-current", visible ? "page" : "false");
}

async function route() {
  if (leave) leave();
  leave = null;
  const r = started ? parseRoute() : null;
  if (!r) {
    if (!$("records-view").hidden) clear($("records-screen"));
    showSection(false);
    return;
  }
  const mine = ++routing;
  const isCurrent = () => mine === routing;
  const box = clear($("records-screen"));
  showSection(true);
  if (r.name === "directory") await renderDirectory(box, r.params, isCurrent);
  else leave = await renderRecord(box, r.id, { isCurrent, back: lastSearch });
  const heading = /** @type {HTMLElement | null} */ (box.querySelector("h2"));
  if (isCurrent() && heading && (document.activeElement === document.body || !document.activeElement)) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

// --- the directory --------------------------------------------------------------------

/**
 * Someone found, as the directory lists them.
 * @typedef {object} Found
 * @property {number} id
 * @property {string} name
 * @property {string} [type] "candidate", "contact_person"
 * @property {string} [function]
 * @property {string} [organisation]
 * @property {string} [mobile]
 * @property {number | null} [record_id] the record their page is
 * @property {string} [kind] a record's kind
 * @property {boolean} [me] the user themself (a colleague)
 * @property {boolean} [is_contact] a colleague already a contact
 */

/** @param {string} name */
function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  return ((words[0] || "?")[0] + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase();
}

/**
 * @param {string} name
 * @param {string} kind
 */
function avatar(name, kind) {
  return el("span", { class: `dir-avatar dir-avatar-${kind}`, "aria-hidden": "true", text: initials(name) });
}

/** @param {Found} c */
function colleagueRow(c) {
  const text = el("span", { class: "person-text" }, el("span", { class: "person-name", text: c.me ? `${c.name} (${t("dirMe")})` : c.name }),
    c.function ? el("span", { class: "person-sub", text: c.function }) : null);
  if (c.me) return el("li", { class: "dir-row" }, el("span", { class: "dir-static" }, avatar(c.name, "colleague"), text));
  const action = c.is_contact ? t("chat") : t("dirAddContact");
  const button = el("button", {
    type: "button", class: "dir-item", dataset: { testid: `dir-colleague-${c.id}` },
    "aria-label": `${c.name}${c.function ? `, ${c.function}` : ""}: ${action}`,
    onclick: async () => {
      if (c.is_contact) {
        openChat(c.id);
        return;
      }
      try {
        await post("/api/contact-requests", { user_id: c.id });
        const said = t("dirRequested", { name: c.name });
        toast(said);
        announce(said);
        button.disabled = true;
      } catch (err) {
        toast(errorText(err));
      }
    },
  }, avatar(c.name, "colleague"), text, el("span", { class: "dir-action", "aria-hidden": "true", text: action }));
  return el("li", { class: "dir-row" }, button);
}

/** @param {Found} p */
function personRow(p) {
  const sub = [p.function, p.organisation, p.mobile].filter(Boolean).join(" · ");
  const text = el("span", { class: "person-text" }, el("span", { class: "person-name", text: p.name }),
    sub ? el("span", { class: "person-sub", text: sub }) : null);
  if (!p.record_id) {
    return el("li", { class: "dir-row" }, el("span", { class: "dir-static" }, avatar(p.name, p.type || ""), text,
      el("span", { class: "dir-action muted", text: t("dirNoRecord") })));
  }
  return el("li", { class: "dir-row" }, el("a", { class: "dir-item", href: `#/records/${p.record_id}`, dataset: { testid: `dir-${p.type}-${p.id}` } },
    avatar(p.name, p.type || ""), text));
}

/** @param {Found} r */
function recordRow(r) {
  return el("li", { class: "dir-row" }, el("a", { class: "dir-item", href: `#/records/${r.record_id}`, dataset: { testid: `dir-record-${r.id}` } },
    avatar(r.name, "record"),
    el("span", { class: "person-text" }, el("span", { class: "person-name", text: r.name }),
      el("span", { class: "person-sub", text: t(`rec_${r.kind}`) }))));
}

/** @type {Record<string, (found: Found) => HTMLLIElement>} */
const ROWS = { colleague: colleagueRow, candidate: personRow, contact_person: personRow, record: recordRow };

/**
 * @param {HTMLElement} box
 * @param {Record<string, Found[]>} results by kind
 * @param {string} query
 */
function renderResults(box, results, query) {
  clear(box);
  let total = 0;
  for (const kind of KINDS) {
    const items = results[kind] || [];
    if (!items.length) continue;
    total += items.length;
    const id = `dir-h-${kind}`;
    box.append(el("section", { class: "dir-group", "aria-labelledby": id, dataset: { testid: `dir-group-${kind}` } },
      el("h3", { id, text: `${t(`kind_${kind}`)} (${items.length})` }),
      el("ul", { class: "plain dir-list" }, items.map((item) => ROWS[kind](item)))));
  }
  if (!total) box.append(el("p", { class: "muted", dataset: { testid: "dir-nothing" }, text: t("dirNothing", { query }) }));
  return total;
}

/**
 * Arrow keys from the search field into the results and between them, as in the SMS picker.
 * @param {HTMLInputElement} input
 * @param {HTMLElement} results
 * @param {() => Promise<void>} settle the search of what was typed, done
 */
function arrowKeys(input, results, settle) {
  const items = () => [.../** @type {NodeListOf<HTMLElement>} */ (results.querySelectorAll(".dir-item:not(:disabled)"))];
  input.addEventListener("keydown", async (ev) => {
    if (ev.key !== "ArrowDown") return;
    ev.preventDefault();
    await settle(); // the results of what was typed, not of its first letters
    if (items().length) items()[0].focus();
  });
  results.addEventListener("keydown", (ev) => {
    const list = items();
    const at = list.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (at < 0) return;
    let next = null;
    if (ev.key === "ArrowDown") next = list[Math.min(at + 1, list.length - 1)];
    else if (ev.key === "ArrowUp") next = at === 0 ? input : list[at - 1];
    else if (ev.key === "Home") next = list[0];
    else if (ev.key === "End") next = list[list.length - 1];
    else if (ev.key === "Escape") next = input;
    if (next) {
      ev.preventDefault();
      next.focus();
    }
  });
}

/**
 * @param {HTMLElement} box
 * @param {URLSearchParams} params q and kind
 * @param {() => boolean} isCurrent this route is still the one shown
 */
async function renderDirectory(box, params, isCurrent) {
  const input = el("input", { id: "dir-q", type: "search", autocomplete: "off", value: params.get("q") || "",
    "aria-describedby": "dir-keys", "aria-controls": "dir-results", dataset: { testid: "dir-search" } });
  const kind = el("select", { id: "dir-kind", dataset: { testid: "dir-kind" } },
    el("option", { value: "", text: t("dirAll") }), KINDS.map((k) => el("option", { value: k, text: t(`kind_${k}`) })));
  const wanted = params.get("kind") || "";
  kind.value = KINDS.includes(wanted) ? wanted : "";
  const status = el("p", { class: "sr-only", role: "status", dataset: { testid: "dir-status" } });
  const results = el("div", { id: "dir-results", class: "dir-results", dataset: { testid: "dir-results" } });
  box.append(
    el("h2", { id: "records-heading", text: t("directory") }),
    el("div", { class: "dir-search" },
      el("div", { class: "field dir-q" }, el("label", { for: "dir-q", text: t("dirSearch") }), input),
      el("div", { class: "field" }, el("label", { for: "dir-kind", text: t("dirKind") }), kind)),
    el("p", { id: "dir-keys", class: "muted", text: t("dirKeys") }),
    status, results);
  let asked = 0;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  /** @type {Promise<void>} */
  let inFlight = Promise.resolve();
  const run = () => {
    clearTimeout(timer ?? undefined);
    timer = null;
    inFlight = search();
    return inFlight;
  };
  arrowKeys(input, results, () => (timer !== null ? run() : inFlight));
  const search = async () => {
    const mine = ++asked;
    const q = input.value.trim();
    const query = new URLSearchParams();
    if (q) query.set("q", q);
    if (kind.value) query.set("kind", kind.value);
    // The address keeps the search: Back from a record comes to the same results.
    lastSearch = `#/directory${query.toString() ? `?${query}` : ""}`;
    if (location.hash !== lastSearch) history.replaceState(null, "", lastSearch);
    try {
      const data = await get(`/api/directory?${query}`);
      if (mine !== asked || !isCurrent()) return;
      const total = renderResults(results, data.results, q);
      status.textContent = total ? t("dirCount", { count: total }) : t("dirNothing", { query: q });
    } catch (err) {
      if (mine === asked) results.replaceChildren(el("p", { class: "error", role: "alert", text: errorText(err) }));
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer ?? undefined);
    timer = setTimeout(run, 200);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") run();
  });
  kind.addEventListener("change", run);
  await run();
}

// --- start and stop ----------------------------------------------------------------------

export function recordsStart() {
  started = true;
  $("directory-open").hidden = false;
  return route();
}

export function recordsStop() {
  started = false;
  route();
}

export function initRecords() {
  window.addEventListener("hashchange", () => {
    route();
  });
  on("lang", () => {
    if (started && parseRoute()) route();
  });
}

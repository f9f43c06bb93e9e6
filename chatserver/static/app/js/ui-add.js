// @ts-check
// "+" next to Contacts: search people by name or function while typing (debounced, 2+
// characters), or list everyone with the function chosen in the filter; a click on a suggestion (or Enter on it) sends the contact request in one step
// and the panel closes, the result said below it. Arrow keys move between field and
// suggestions. Pending outgoing requests are listed.
import { get, post } from "../../shared/api.js";
import { $, clear, el } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import { on, state } from "./store.js";

const DEBOUNCE_MS = 250;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
let lastQuery = 0;
let functionsLoaded = false;

function build() {
  const panel = clear($("add-panel"));
  const fnSelect = el("select", { id: "add-function", dataset: { testid: "add-function" } });
  const input = el("input", {
    id: "add-search",
    type: "search",
    autocomplete: "off",
    placeholder: t("searchPlaceholder"),
    "aria-describedby": "add-hint",
    "aria-controls": "add-results",
    dataset: { testid: "add-search" },
  });
  panel.append(
    el("label", { for: "add-search", text: t("search") }),
    input,
    el("label", { for: "add-function", text: t("function") }),
    fnSelect,
    el("p", { id: "add-hint", class: "muted", role: "status", dataset: { testid: "add-hint" }, text: t("typeTwo") }),
    el("ul", { id: "add-results", class: "plain suggestions", "aria-label": t("addContact"), dataset: { testid: "add-results" } }),
  );
  fnSelect.append(el("option", { value: "", text: t("allFunctions") }));
  input.addEventListener("input", schedule);
  input.addEventListener("keydown", (/** @type {KeyboardEvent} */ ev) => {
    if (ev.key !== "ArrowDown") return;
    ev.preventDefault();
    suggestionButtons()[0]?.focus();
  });
  fnSelect.addEventListener("change", schedule);
  loadFunctions(fnSelect);
}

/** @param {HTMLSelectElement} select */
async function loadFunctions(select) {
  try {
    const data = await get("/api/functions");
    for (const name of data.functions || []) select.append(el("option", { value: name, text: name }));
    functionsLoaded = true;
  } catch {
    functionsLoaded = false;
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(runSearch, DEBOUNCE_MS);
}

async function runSearch() {
  const q = $("add-search").value.trim();
  const fn = $("add-function").value;
  const results = $("add-results");
  const hint = $("add-hint");
  // A function alone lists everyone with it (all the planners), as a directory would.
  if (q.length < 2 && !fn) {
    clear(results);
    hint.textContent = t("typeTwo");
    return;
  }
  const mine = ++lastQuery;
  const params = new URLSearchParams({ q: q.length < 2 ? "" : q });
  if (fn) params.set("function", fn);
  let data;
  try {
    data = await get(`/api/people/search?${params}`);
  } catch (err) {
    if (mine === lastQuery) hint.textContent = errorText(err);
    return;
  }
  if (mine !== lastQuery) return; // an answer to an older query: a newer one is on its way
  clear(results);
  for (const person of data.results) results.append(suggestion(person));
  const count = data.results.length;
  hint.textContent = count === 0 ? t("noResults") : count === 1 ? t("resultsCountOne") : t("resultsCount", { count });
}

/** @returns {HTMLButtonElement[]} */
function suggestionButtons() {
  return [.../** @type {NodeListOf<HTMLButtonElement>} */ ($("add-results").querySelectorAll("button:not(:disabled)"))];
}

/**
 * Up and down between the suggestions, as in the SMS picker; up from the first: the field.
 * @param {KeyboardEvent} ev
 */
function moveFocus(ev) {
  if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
  ev.preventDefault();
  const buttons = suggestionButtons();
  const at = buttons.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
  const next = at + (ev.key === "ArrowDown" ? 1 : -1);
  if (next < 0) $("add-search").focus();
  else buttons[Math.min(next, buttons.length - 1)]?.focus();
}

/** @typedef {import("./store.js").Person & {is_contact?: boolean}} Found someone the search found */

/** @param {Found} person */
function suggestion(person) {
  const sub = [person.function, person.external ? person.tenant : ""].filter(Boolean).join(" · ");
  const button = el(
    "button",
    {
      type: "button",
      class: "suggestion",
      disabled: person.is_contact,
      dataset: { testid: `suggestion-${person.id}`, userId: String(person.id) },
      onclick: () => add(person, button),
      onkeydown: moveFocus,
    },
    el("span", { class: "person-name", text: person.name }),
    sub ? el("span", { class: "person-sub", text: sub }) : null,
    person.is_contact
      ? el("span", { class: "person-sub", text: t("alreadyContact") })
      : el("span", { class: "suggestion-add", text: t("addThis") }),
  );
  return el("li", {}, button);
}

/**
 * One step: the request goes, the panel closes and says so below; an error keeps it open.
 * @param {Found} person
 * @param {HTMLButtonElement} button
 */
async function add(person, button) {
  const message = $("add-message");
  message.textContent = "";
  button.disabled = true;
  try {
    const req = await post("/api/contact-requests", { user_id: person.id });
    if (req.status === "pending") state.outgoing.set(req.id, req);
    clear($("add-panel"));
    setOpen(false);
    $("add-open").focus();
    message.textContent = t("requestSent", { name: person.name });
    renderOutgoing();
  } catch (err) {
    button.disabled = false;
    message.textContent = errorText(err);
  }
}

export function renderOutgoing() {
  const box = clear($("outgoing"));
  for (const req of state.outgoing.values()) {
    box.append(el("p", { class: "muted", dataset: { testid: `outgoing-${req.to.id}` }, text: t("waitingFor", { name: req.to.name }) }));
  }
}

/** @param {boolean} open */
function setOpen(open) {
  $("add-panel").hidden = !open;
  $("add-open").setAttribute("aria-expanded", String(open));
}

function toggle() {
  const panel = $("add-panel");
  const open = panel.hidden;
  setOpen(open);
  if (open) {
    $("add-message").textContent = "";
    if (!panel.firstChild || !functionsLoaded) build();
    $("add-search").focus();
  }
}

export function initAdd() {
  $("add-open").addEventListener("click", toggle);
  $("add-panel").addEventListener("keydown", (/** @type {KeyboardEvent} */ ev) => {
    if (ev.key === "Escape") {
      toggle();
      $("add-open").focus();
    }
  });
  on("lang", () => {
    if (!$("add-panel").hidden) build();
    else clear($("add-panel"));
    renderOutgoing();
  });
  on("requests", renderOutgoing);
}

// "+" next to Contacts: search people while typing (debounced, 2+ characters), filter by
// function, select one and send a contact request. Pending outgoing requests are listed.
import { get, post } from "./api.js";
import { $, announce, clear, el } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { on, state } from "./store.js";

const DEBOUNCE_MS = 250;
let selected = null;
let timer = null;
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
    el("button", { type: "button", id: "add-submit", dataset: { testid: "add-submit" }, text: t("addSelected"), onclick: submit }),
    el("p", { id: "add-message", role: "alert", class: "muted", dataset: { testid: "add-message" } }),
  );
  fnSelect.append(el("option", { value: "", text: t("allFunctions") }));
  input.addEventListener("input", schedule);
  fnSelect.addEventListener("change", schedule);
  loadFunctions(fnSelect);
}

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
  if (q.length < 2) {
    clear(results);
    hint.textContent = t("typeTwo");
    return;
  }
  const mine = ++lastQuery;
  const params = new URLSearchParams({ q });
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
  selected = null;
  for (const person of data.results) results.append(suggestion(person));
  hint.textContent = data.results.length ? t("resultsCount", { count: data.results.length }) : t("noResults");
}

function suggestion(person) {
  const sub = [person.function, person.external ? person.tenant : ""].filter(Boolean).join(" · ");
  const button = el(
    "button",
    {
      type: "button",
      class: "suggestion",
      "aria-pressed": "false",
      disabled: person.is_contact,
      dataset: { testid: `suggestion-${person.id}`, userId: String(person.id) },
      onclick: () => select(person, button),
    },
    el("span", { class: "person-name", text: person.name }),
    sub ? el("span", { class: "person-sub", text: sub }) : null,
    person.is_contact ? el("span", { class: "person-sub", text: t("alreadyContact") }) : null,
  );
  return el("li", {}, button);
}

function select(person, button) {
  selected = person;
  for (const b of $("add-results").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
  $("add-message").textContent = "";
}

async function submit() {
  const message = $("add-message");
  if (!selected) {
    message.textContent = t("selectSomeone");
    return;
  }
  const person = selected;
  try {
    const req = await post("/api/contact-requests", { user_id: person.id });
    if (req.status === "pending") state.outgoing.set(req.id, req);
    message.textContent = t("requestSent", { name: person.name });
    announce(message.textContent);
    renderOutgoing();
  } catch (err) {
    message.textContent = errorText(err);
  }
}

export function renderOutgoing() {
  const box = clear($("outgoing"));
  for (const req of state.outgoing.values()) {
    box.append(el("p", { class: "muted", dataset: { testid: `outgoing-${req.to.id}` }, text: t("waitingFor", { name: req.to.name }) }));
  }
}

function toggle() {
  const panel = $("add-panel");
  const open = panel.hidden;
  panel.hidden = !open;
  $("add-open").setAttribute("aria-expanded", String(open));
  if (open) {
    if (!panel.firstChild || !functionsLoaded) build();
    $("add-search").focus();
  }
}

export function initAdd() {
  $("add-open").addEventListener("click", toggle);
  $("add-panel").addEventListener("keydown", (ev) => {
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

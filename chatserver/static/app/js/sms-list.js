// The SMS list (SM-9, seed 000 §3.1/3.2): own messages, or the tenant's for SMS-admins;
// search, filters, saved filters and chosen columns; each message's status, updated live.
import { get } from "../../shared/api.js";
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import { isAdmin } from "./sms-state.js";
import { state } from "./store.js";
import { link, localMidnight, sendDate, smsDelete, smsGet, smsPatch, smsPost, statusBadge, when, yesNo } from "./sms-util.js";

export const COLUMNS = [
  "name", "subject", "body", "user_name", "originator", "send_at", "status", "recipients_planned",
  "recipients_sent", "parts", "sms_count", "credits_charged", "approved", "created_at",
];
const DEFAULT_COLUMNS = ["name", "send_at", "status", "recipients_sent", "sms_count", "user_name"];
const STATUSES = ["awaiting_approval", "scheduled", "sending", "sent", "failed", "cancelled"];
const PAGE = 50;

let view = null;

/** The chosen columns of the default view, per user in this browser (a saved filter keeps its own). */
function columnsKey() {
  return `chat.sms.columns.${state.me ? state.me.id : 0}`;
}

function storedColumns() {
  try {
    const saved = JSON.parse(localStorage.getItem(columnsKey()) || "null");
    if (Array.isArray(saved) && saved.every((c) => COLUMNS.includes(c)) && saved.length) return saved;
  } catch {
    /* a damaged value: use the defaults */
  }
  return DEFAULT_COLUMNS;
}

function cell(msg, column) {
  switch (column) {
    case "name":
      return link(`m/${msg.id}`, msg.name || `#${msg.id}`, { dataset: { testid: "sms-row-link" } });
    case "status":
      return statusBadge(msg.status, "sms-row-status");
    case "send_at":
      return sendDate(msg);
    case "created_at":
      return when(msg.created_at);
    case "approved":
      return yesNo(msg.approved);
    case "body":
      return el("span", { class: "sms-clip" }, msg.body || "");
    default:
      return msg[column] === null || msg[column] === undefined ? "" : String(msg[column]);
  }
}

function row(msg) {
  return el(
    "tr",
    { dataset: { testid: "sms-row", id: String(msg.id), status: msg.status } },
    // data-label: on a phone each row is a card, each value under its column's name (sms.css).
    view.columns.map((c) => el(c === "name" ? "th" : "td", c === "name" ? { scope: "row" } : { dataset: { label: st(`col_${c}`) } }, cell(msg, c))),
  );
}

function renderTable() {
  const table = clear(view.nodes.table);
  table.append(
    el("caption", { class: "sr-only" }, st("messages")),
    el("thead", {}, el("tr", {}, view.columns.map((c) => el("th", { scope: "col", dataset: { column: c } }, st(`col_${c}`))))),
  );
  const body = el("tbody", { dataset: { testid: "sms-rows" } });
  for (const msg of view.items) body.append(row(msg));
  table.append(body);
  view.nodes.empty.hidden = view.items.length > 0;
  view.nodes.total.textContent = view.items.length ? st("totalMessages", { shown: view.items.length, total: view.total }) : "";
  view.nodes.more.hidden = view.items.length >= view.total;
}

function query() {
  const n = view.nodes;
  const q = {};
  if (n.q.value.trim()) q.q = n.q.value.trim();
  if (n.status.value) q.status = n.status.value;
  if (n.user && n.user.value) q.user_id = n.user.value;
  if (n.from.value) q.from = n.from.value;
  if (n.to.value) q.to = n.to.value;
  return q;
}

/** The date fields as the user's own days: a bare date would be a UTC day on the server, and a
 *  message sent at 00:30 in Amsterdam would fall on the day before the one the list shows. */
function request() {
  const q = query();
  if (q.from) q.from = localMidnight(q.from);
  if (q.to) q.to = localMidnight(q.to, 1); // exclusive: the next day's midnight
  return q;
}

async function load({ append = false } = {}) {
  const mine = view;
  const params = new URLSearchParams({ ...request(), limit: String(PAGE), offset: String(append ? view.items.length : 0) });
  let data;
  try {
    data = await smsGet(`/api/sms/messages?${params}`);
  } catch (err) {
    if (view === mine) view.nodes.error.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  view.nodes.error.textContent = "";
  view.items = append ? view.items.concat(data.items || []) : data.items || [];
  view.total = data.total ?? view.items.length;
  renderTable();
}

// --- saved filters and columns ---------------------------------------------------------------

function setQuery(q) {
  const n = view.nodes;
  n.q.value = q.q || "";
  n.status.value = q.status || "";
  if (n.user) n.user.value = q.user_id ? String(q.user_id) : "";
  n.from.value = q.from || "";
  n.to.value = q.to || "";
}

function renderFilters() {
  const list = clear(view.nodes.filters);
  view.nodes.noFilters.hidden = view.filters.length > 0;
  for (const f of view.filters) {
    list.append(
      el("li", { class: "sms-filter", dataset: { testid: "sms-filter", id: String(f.id) } },
        el("button", {
          type: "button",
          class: "link-button",
          "aria-pressed": String(view.filterId === f.id),
          "aria-label": st("applyFilter", { name: f.name }),
          dataset: { testid: "sms-filter-apply" },
          onclick: () => applyFilter(f),
        }, f.name),
        el("button", {
          type: "button",
          class: "icon-button",
          "aria-label": st("deleteFilter", { name: f.name }),
          dataset: { testid: "sms-filter-delete" },
          onclick: () => deleteFilter(f),
        }, el("span", { "aria-hidden": "true" }, "\u00d7"))),
    );
  }
}

async function loadFilters() {
  const mine = view;
  let filters;
  try {
    filters = (await smsGet("/api/sms/filters")).items || [];
  } catch {
    filters = [];
  }
  if (view !== mine) return; // the user went elsewhere meanwhile
  view.filters = filters;
  renderFilters();
}

function applyFilter(f) {
  view.filterId = f.id;
  setQuery(f.query || {});
  if (Array.isArray(f.columns) && f.columns.length) setColumns(f.columns.filter((c) => COLUMNS.includes(c)));
  renderFilters();
  load();
}

async function saveFilter(ev) {
  ev.preventDefault();
  const n = view.nodes;
  const name = n.filterName.value.trim();
  n.filterStatus.textContent = "";
  if (!name) {
    n.filterName.focus();
    return;
  }
  const mine = view;
  try {
    const f = await smsPost("/api/sms/filters", { name, query: query(), columns: view.columns });
    if (view !== mine) return;
    view.filters.push(f);
    view.filterId = f.id;
    n.filterName.value = "";
    n.filterStatus.textContent = st("filterSaved", { name: f.name });
    renderFilters();
  } catch (err) {
    n.filterStatus.textContent = smsError(err);
  }
}

async function deleteFilter(f) {
  const mine = view;
  try {
    await smsDelete(`/api/sms/filters/${f.id}`);
  } catch (err) {
    if (view === mine) view.nodes.filterStatus.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  view.filters = view.filters.filter((x) => x.id !== f.id);
  if (view.filterId === f.id) view.filterId = null;
  renderFilters();
}

function setColumns(columns) {
  view.columns = columns.length ? columns : DEFAULT_COLUMNS;
  for (const box of view.nodes.columnBoxes) box.checked = view.columns.includes(box.value);
  renderTable();
}

async function saveColumns() {
  localStorage.setItem(columnsKey(), JSON.stringify(view.columns));
  const n = view.nodes;
  if (view.filterId) {
    try {
      await smsPatch(`/api/sms/filters/${view.filterId}`, { columns: view.columns });
    } catch (err) {
      n.columnsStatus.textContent = smsError(err);
      return;
    }
  }
  n.columnsStatus.textContent = st("columnsSaved");
  announce(st("columnsSaved"));
}

// --- building ----------------------------------------------------------------------------------

function field(id, label, control) {
  return el("span", { class: "field" }, el("label", { for: id }, label), control);
}

async function userSelect() {
  const select = el("select", { id: "sms-f-user", dataset: { testid: "sms-filter-user" } }, el("option", { value: "" }, st("anyone")));
  try {
    const data = await get("/api/users");
    for (const u of data.users || data.items || []) select.append(el("option", { value: String(u.id) }, u.name || u.display_name || `#${u.id}`));
  } catch {
    /* the filter still works by id from a saved filter */
  }
  return select;
}

export async function render(container) {
  leave();
  view = { items: [], total: 0, filters: [], filterId: null, columns: storedColumns(), nodes: {} };
  const mine = view;
  const n = view.nodes;
  n.q = el("input", { type: "search", id: "sms-f-q", dataset: { testid: "sms-search" } });
  n.status = el("select", { id: "sms-f-status", dataset: { testid: "sms-filter-status" } }, el("option", { value: "" }, st("anyStatus")),
    STATUSES.map((s) => el("option", { value: s }, st(`st_${s}`))));
  n.user = isAdmin() ? await userSelect() : null;
  if (view !== mine) return;
  n.from = el("input", { type: "date", id: "sms-f-from", dataset: { testid: "sms-filter-from" } });
  n.to = el("input", { type: "date", id: "sms-f-to", dataset: { testid: "sms-filter-to" } });
  n.table = el("table", { class: "sms-table sms-cards", dataset: { testid: "sms-table" } });
  n.empty = el("p", { class: "muted", dataset: { testid: "sms-empty" }, hidden: true }, st("noMessages"));
  n.total = el("p", { class: "muted", role: "status", dataset: { testid: "sms-total" } });
  n.error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-list-error" } });
  n.balance = el("span", { class: "muted", dataset: { testid: "sms-list-balance" } });
  n.more = el("button", { type: "button", hidden: true, dataset: { testid: "sms-more" }, onclick: () => load({ append: true }) }, st("loadMore"));
  n.filters = el("ul", { class: "plain sms-filters", dataset: { testid: "sms-filters" } });
  n.noFilters = el("p", { class: "muted" }, st("noSavedFilters"));
  n.filterName = el("input", { type: "text", id: "sms-filter-name", maxlength: "100", dataset: { testid: "sms-filter-name" } });
  n.filterStatus = el("p", { class: "muted", role: "status", dataset: { testid: "sms-filter-status-line" } });
  n.columnsStatus = el("p", { class: "muted", role: "status" });
  n.columnBoxes = COLUMNS.map((c) => {
    const box = el("input", { type: "checkbox", id: `sms-col-${c}`, value: c, checked: view.columns.includes(c), dataset: { testid: `sms-col-${c}` } });
    box.addEventListener("change", () => setColumns(COLUMNS.filter((x) => x === box.value ? box.checked : view.columns.includes(x))));
    return box;
  });

  const search = el("form", { class: "sms-search row", role: "search", dataset: { testid: "sms-search-form" } },
    field("sms-f-q", st("searchMessages"), n.q),
    field("sms-f-status", st("statusFilter"), n.status),
    n.user ? field("sms-f-user", st("userFilter"), n.user) : null,
    field("sms-f-from", st("fromDate"), n.from),
    field("sms-f-to", st("toDate"), n.to),
    el("button", { type: "submit", class: "primary", dataset: { testid: "sms-search-submit" } }, st("applyFilters")),
    el("button", { type: "button", onclick: () => { view.filterId = null; setQuery({}); renderFilters(); load(); } }, st("clearFilters")),
  );
  search.addEventListener("submit", (ev) => {
    ev.preventDefault();
    view.filterId = null;
    renderFilters();
    load();
  });
  const saveForm = el("form", { class: "row" }, field("sms-filter-name", st("filterName"), n.filterName),
    el("button", { type: "submit", dataset: { testid: "sms-filter-save" } }, st("saveFilter")));
  saveForm.addEventListener("submit", saveFilter);
  const columns = el("details", { class: "sms-columns", dataset: { testid: "sms-columns" } },
    el("summary", {}, st("chooseColumns")),
    el("fieldset", {}, el("legend", { class: "sr-only" }, st("columns")),
      n.columnBoxes.map((box) => el("span", { class: "field-inline" }, box, el("label", { for: box.id }, st(`col_${box.value}`))))),
    el("button", { type: "button", dataset: { testid: "sms-columns-save" }, onclick: saveColumns }, st("saveColumns")),
    n.columnsStatus);

  container.append(
    el("div", { class: "sms-list-layout" },
      el("aside", { class: "sms-filter-panel", "aria-labelledby": "sms-filters-heading" },
        el("h2", { id: "sms-filters-heading", class: "sms-side-heading" }, st("savedFilters")), n.filters, n.noFilters, saveForm, n.filterStatus),
      el("div", { class: "sms-list-main" },
        el("h2", {}, st("messages")),
        el("p", { class: "row sms-list-head" }, link("new", st("newSms"), { class: "button-link primary", dataset: { testid: "sms-new" } }), n.balance),
        search, columns, n.error, n.table, n.empty, n.total, n.more)),
  );
  renderTable();
  await Promise.all([load(), loadFilters(), loadBalance()]);
}

/** The organisation's credit balance (SM-17); it may be negative. */
async function loadBalance() {
  const mine = view;
  try {
    const data = await smsGet("/api/sms/credits?limit=1");
    if (view === mine) view.nodes.balance.textContent = st("balanceLine", { balance: data.balance });
  } catch {
    /* not shown */
  }
}

/** sms.message: update the row in place, drop a deleted one, or reload for a new one. */
export function onMessage(msg) {
  if (!view || !msg.id) return;
  const i = view.items.findIndex((m) => m.id === msg.id);
  if (msg.deleted) {
    if (i >= 0) {
      view.items.splice(i, 1);
      view.total = Math.max(0, view.total - 1);
      renderTable();
    }
    return;
  }
  if (i >= 0) {
    view.items[i] = { ...view.items[i], ...msg };
    const old = view.nodes.table.querySelector(`tr[data-id="${msg.id}"]`);
    if (old) old.replaceWith(row(view.items[i]));
  } else {
    clearTimeout(view.reload);
    view.reload = setTimeout(() => load(), 300);
  }
}

export function leave() {
  if (view) clearTimeout(view.reload);
  view = null;
}

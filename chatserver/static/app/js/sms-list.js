// @ts-check
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

/**
 * A message of the list, as GET /api/sms/messages lists it (and sms.message updates it);
 * any of COLUMNS may be shown, so each is read by name too.
 * @typedef {{id: number, status: string, name?: string | null, body?: string | null, send_at?: string | null,
 *   created_at?: string | null, approved?: boolean, deleted?: boolean} & Record<string, unknown>} ListMessage
 */
/**
 * What the search form asks for (the fields' values).
 * @typedef {{q?: string, status?: string, user_id?: string, from?: string, to?: string}} Query
 */
/**
 * A saved filter: its query (a user's id may come back as a number) and its own columns.
 * @typedef {{id: number, name: string, query?: {q?: string, status?: string, user_id?: string | number, from?: string, to?: string},
 *   columns?: string[]}} SavedFilter
 */
/**
 * The list screen's elements (`user`: the user filter, SMS-admins only).
 * @typedef {object} ListNodes
 * @property {HTMLInputElement} q
 * @property {HTMLSelectElement} status
 * @property {HTMLSelectElement | null} user
 * @property {HTMLInputElement} from
 * @property {HTMLInputElement} to
 * @property {HTMLTableElement} table
 * @property {HTMLElement} empty
 * @property {HTMLElement} total
 * @property {HTMLElement} error
 * @property {HTMLElement} balance
 * @property {HTMLElement} more
 * @property {HTMLElement} filters
 * @property {HTMLElement} noFilters
 * @property {HTMLInputElement} filterName
 * @property {HTMLElement} filterStatus
 * @property {HTMLElement} columnsStatus
 * @property {HTMLInputElement[]} columnBoxes
 */
/**
 * The open list: the messages shown, the saved filters (the applied one's id) and the columns.
 * @typedef {object} ListView
 * @property {ListMessage[]} items
 * @property {number} total
 * @property {SavedFilter[]} filters
 * @property {number | null} filterId
 * @property {string[]} columns
 * @property {ListNodes} nodes
 * @property {ReturnType<typeof setTimeout>} [reload]
 */

/** @type {ListView | null} */
let view = null;

/** The chosen columns of the default view, per user in this browser (a saved filter keeps its own). */
function columnsKey() {
  return `chat.sms.columns.${state.me ? state.me.id : 0}`;
}

/** @returns {string[]} */
function storedColumns() {
  try {
    const saved = JSON.parse(localStorage.getItem(columnsKey()) || "null");
    if (Array.isArray(saved) && saved.every((c) => COLUMNS.includes(c)) && saved.length) return saved;
  } catch {
    /* a damaged value: use the defaults */
  }
  return DEFAULT_COLUMNS;
}

/**
 * @param {ListMessage} msg
 * @param {string} column
 */
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

/**
 * @param {ListView} view
 * @param {ListMessage} msg
 */
function row(view, msg) {
  return el(
    "tr",
    { dataset: { testid: "sms-row", id: String(msg.id), status: msg.status } },
    // data-label: on a phone each row is a card, each value under its column's name (sms.css).
    view.columns.map((c) => el(c === "name" ? "th" : "td", c === "name" ? { scope: "row" } : { dataset: { label: st(`col_${c}`) } }, cell(msg, c))),
  );
}

/** @param {ListView} view */
function renderTable(view) {
  const table = clear(view.nodes.table);
  table.append(
    el("caption", { class: "sr-only" }, st("messages")),
    el("thead", {}, el("tr", {}, view.columns.map((c) => el("th", { scope: "col", dataset: { column: c } }, st(`col_${c}`))))),
  );
  const body = el("tbody", { dataset: { testid: "sms-rows" } });
  for (const msg of view.items) body.append(row(view, msg));
  table.append(body);
  view.nodes.empty.hidden = view.items.length > 0;
  view.nodes.total.textContent = view.items.length ? st("totalMessages", { shown: view.items.length, total: view.total }) : "";
  view.nodes.more.hidden = view.items.length >= view.total;
}

/**
 * @param {ListNodes} n
 * @returns {Query}
 */
function query(n) {
  /** @type {Query} */
  const q = {};
  if (n.q.value.trim()) q.q = n.q.value.trim();
  if (n.status.value) q.status = n.status.value;
  if (n.user && n.user.value) q.user_id = n.user.value;
  if (n.from.value) q.from = n.from.value;
  if (n.to.value) q.to = n.to.value;
  return q;
}

/** The date fields as the user's own days: a bare date would be a UTC day on the server, and a
 *  message sent at 00:30 in Amsterdam would fall on the day before the one the list shows.
 * @param {ListNodes} n
 */
function request(n) {
  const q = query(n);
  if (q.from) q.from = localMidnight(q.from);
  if (q.to) q.to = localMidnight(q.to, 1); // exclusive: the next day's midnight
  return q;
}

/**
 * @param {ListView} mine
 * @param {{append?: boolean}} [how] append: the next page after the rows shown
 */
async function load(mine, { append = false } = {}) {
  const params = new URLSearchParams({ ...request(mine.nodes), limit: String(PAGE), offset: String(append ? mine.items.length : 0) });
  /** @type {{items?: ListMessage[], total?: number}} */
  let data;
  try {
    data = await smsGet(`/api/sms/messages?${params}`);
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  mine.nodes.error.textContent = "";
  mine.items = append ? mine.items.concat(data.items || []) : data.items || [];
  mine.total = data.total ?? mine.items.length;
  renderTable(mine);
}

// --- saved filters and columns ---------------------------------------------------------------

/**
 * @param {ListNodes} n
 * @param {NonNullable<SavedFilter["query"]>} q
 */
function setQuery(n, q) {
  n.q.value = q.q || "";
  n.status.value = q.status || "";
  if (n.user) n.user.value = q.user_id ? String(q.user_id) : "";
  n.from.value = q.from || "";
  n.to.value = q.to || "";
}

/** @param {ListView} view */
function renderFilters(view) {
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
          onclick: () => applyFilter(view, f),
        }, f.name),
        el("button", {
          type: "button",
          class: "icon-button",
          "aria-label": st("deleteFilter", { name: f.name }),
          dataset: { testid: "sms-filter-delete" },
          onclick: () => deleteFilter(view, f),
        }, el("span", { "aria-hidden": "true" }, "\u00d7"))),
    );
  }
}

/** @param {ListView} mine */
async function loadFilters(mine) {
  /** @type {SavedFilter[]} */
  let filters;
  try {
    filters = (await smsGet("/api/sms/filters")).items || [];
  } catch {
    filters = [];
  }
  if (view !== mine) return; // the user went elsewhere meanwhile
  mine.filters = filters;
  renderFilters(mine);
}

/**
 * @param {ListView} view
 * @param {SavedFilter} f
 */
function applyFilter(view, f) {
  view.filterId = f.id;
  setQuery(view.nodes, f.query || {});
  if (Array.isArray(f.columns) && f.columns.length) setColumns(view, f.columns.filter((c) => COLUMNS.includes(c)));
  renderFilters(view);
  load(view);
}

/** @param {ListView} mine */
async function saveFilter(mine) {
  const n = mine.nodes;
  const name = n.filterName.value.trim();
  n.filterStatus.textContent = "";
  if (!name) {
    n.filterName.focus();
    return;
  }
  try {
    /** @type {SavedFilter} */
    const f = await smsPost("/api/sms/filters", { name, query: query(n), columns: mine.columns });
    if (view !== mine) return;
    mine.filters.push(f);
    mine.filterId = f.id;
    n.filterName.value = "";
    n.filterStatus.textContent = st("filterSaved", { name: f.name });
    renderFilters(mine);
  } catch (err) {
    n.filterStatus.textContent = smsError(err);
  }
}

/**
 * @param {ListView} mine
 * @param {SavedFilter} f
 */
async function deleteFilter(mine, f) {
  try {
    await smsDelete(`/api/sms/filters/${f.id}`);
  } catch (err) {
    if (view === mine) mine.nodes.filterStatus.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  mine.filters = mine.filters.filter((x) => x.id !== f.id);
  if (mine.filterId === f.id) mine.filterId = null;
  renderFilters(mine);
}

/**
 * @param {ListView} view
 * @param {string[]} columns
 */
function setColumns(view, columns) {
  view.columns = columns.length ? columns : DEFAULT_COLUMNS;
  for (const box of view.nodes.columnBoxes) box.checked = view.columns.includes(box.value);
  renderTable(view);
}

/** @param {ListView} view */
async function saveColumns(view) {
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

/**
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} control
 */
function field(id, label, control) {
  return el("span", { class: "field" }, el("label", { for: id }, label), control);
}

async function userSelect() {
  const select = el("select", { id: "sms-f-user", dataset: { testid: "sms-filter-user" } }, el("option", { value: "" }, st("anyone")));
  try {
    /** @type {{users?: {id: number, name?: string, display_name?: string}[], items?: {id: number, name?: string, display_name?: string}[]}} */
    const data = await get("/api/users");
    for (const u of data.users || data.items || []) select.append(el("option", { value: String(u.id) }, u.name || u.display_name || `#${u.id}`));
  } catch {
    /* the filter still works by id from a saved filter */
  }
  return select;
}

/** @param {HTMLElement} container */
export async function render(container) {
  leave();
  const columns = storedColumns();
  /** @type {ListNodes} */
  const n = {
    q: el("input", { type: "search", id: "sms-f-q", dataset: { testid: "sms-search" } }),
    status: el("select", { id: "sms-f-status", dataset: { testid: "sms-filter-status" } }, el("option", { value: "" }, st("anyStatus")),
      STATUSES.map((s) => el("option", { value: s }, st(`st_${s}`)))),
    user: null, // below, once the users are known
    from: el("input", { type: "date", id: "sms-f-from", dataset: { testid: "sms-filter-from" } }),
    to: el("input", { type: "date", id: "sms-f-to", dataset: { testid: "sms-filter-to" } }),
    table: el("table", { class: "sms-table sms-cards", dataset: { testid: "sms-table" } }),
    empty: el("p", { class: "muted", dataset: { testid: "sms-empty" }, hidden: true }, st("noMessages")),
    total: el("p", { class: "muted", role: "status", dataset: { testid: "sms-total" } }),
    error: el("p", { class: "error", role: "alert", dataset: { testid: "sms-list-error" } }),
    balance: el("span", { class: "muted", dataset: { testid: "sms-list-balance" } }),
    more: el("button", { type: "button", hidden: true, dataset: { testid: "sms-more" }, onclick: () => load(mine, { append: true }) }, st("loadMore")),
    filters: el("ul", { class: "plain sms-filters", dataset: { testid: "sms-filters" } }),
    noFilters: el("p", { class: "muted" }, st("noSavedFilters")),
    filterName: el("input", { type: "text", id: "sms-filter-name", maxlength: "100", dataset: { testid: "sms-filter-name" } }),
    filterStatus: el("p", { class: "muted", role: "status", dataset: { testid: "sms-filter-status-line" } }),
    columnsStatus: el("p", { class: "muted", role: "status" }),
    columnBoxes: COLUMNS.map((c) => {
      const box = el("input", { type: "checkbox", id: `sms-col-${c}`, value: c, checked: columns.includes(c), dataset: { testid: `sms-col-${c}` } });
      box.addEventListener("change", () => setColumns(mine, COLUMNS.filter((x) => x === box.value ? box.checked : mine.columns.includes(x))));
      return box;
    }),
  };
  /** @type {ListView} */
  const mine = { items: [], total: 0, filters: [], filterId: null, columns, nodes: n };
  view = mine;
  if (isAdmin()) {
    n.user = await userSelect();
    if (view !== mine) return;
  }

  const search = el("form", { class: "sms-search row", role: "search", dataset: { testid: "sms-search-form" } },
    field("sms-f-q", st("searchMessages"), n.q),
    field("sms-f-status", st("statusFilter"), n.status),
    n.user ? field("sms-f-user", st("userFilter"), n.user) : null,
    field("sms-f-from", st("fromDate"), n.from),
    field("sms-f-to", st("toDate"), n.to),
    el("button", { type: "submit", class: "primary", dataset: { testid: "sms-search-submit" } }, st("applyFilters")),
    el("button", { type: "button", onclick: () => { mine.filterId = null; setQuery(n, {}); renderFilters(mine); load(mine); } }, st("clearFilters")),
  );
  search.addEventListener("submit", (ev) => {
    ev.preventDefault();
    mine.filterId = null;
    renderFilters(mine);
    load(mine);
  });
  const saveForm = el("form", { class: "row" }, field("sms-filter-name", st("filterName"), n.filterName),
    el("button", { type: "submit", dataset: { testid: "sms-filter-save" } }, st("saveFilter")));
  saveForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveFilter(mine);
  });
  const columnsBox = el("details", { class: "sms-columns", dataset: { testid: "sms-columns" } },
    el("summary", {}, st("chooseColumns")),
    el("fieldset", {}, el("legend", { class: "sr-only" }, st("columns")),
      n.columnBoxes.map((box) => el("span", { class: "field-inline" }, box, el("label", { for: box.id }, st(`col_${box.value}`))))),
    el("button", { type: "button", dataset: { testid: "sms-columns-save" }, onclick: () => saveColumns(mine) }, st("saveColumns")),
    n.columnsStatus);

  container.append(
    el("div", { class: "sms-list-layout" },
      el("aside", { class: "sms-filter-panel", "aria-labelledby": "sms-filters-heading" },
        el("h2", { id: "sms-filters-heading", class: "sms-side-heading" }, st("savedFilters")), n.filters, n.noFilters, saveForm, n.filterStatus),
      el("div", { class: "sms-list-main" },
        el("h2", {}, st("messages")),
        el("p", { class: "row sms-list-head" }, link("new", st("newSms"), { class: "button-link primary", dataset: { testid: "sms-new" } }), n.balance),
        search, columnsBox, n.error, n.table, n.empty, n.total, n.more)),
  );
  renderTable(mine);
  await Promise.all([load(mine), loadFilters(mine), loadBalance(mine)]);
}

/**
 * The organisation's credit balance (SM-17); it may be negative.
 * @param {ListView} mine
 */
async function loadBalance(mine) {
  try {
    const data = await smsGet("/api/sms/credits?limit=1");
    if (view === mine) mine.nodes.balance.textContent = st("balanceLine", { balance: data.balance });
  } catch {
    /* not shown */
  }
}

/**
 * sms.message: update the row in place, drop a deleted one, or reload for a new one.
 * @param {Record<string, any>} message the event's, as the server sent it
 */
export function onMessage(message) {
  const msg = /** @type {ListMessage} */ (message);
  const mine = view;
  if (!mine || !msg.id) return;
  const i = mine.items.findIndex((m) => m.id === msg.id);
  if (msg.deleted) {
    if (i >= 0) {
      mine.items.splice(i, 1);
      mine.total = Math.max(0, mine.total - 1);
      renderTable(mine);
    }
    return;
  }
  if (i >= 0) {
    mine.items[i] = { ...mine.items[i], ...msg };
    const old = mine.nodes.table.querySelector(`tr[data-id="${msg.id}"]`);
    if (old) old.replaceWith(row(mine, mine.items[i]));
  } else {
    clearTimeout(mine.reload);
    mine.reload = setTimeout(() => load(mine), 300);
  }
}

export function leave() {
  if (view) clearTimeout(view.reload);
  view = null;
}

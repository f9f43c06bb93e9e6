// @ts-check
// The SMS queue for SMS-admins (SM-7, SM-12, seed 000 §4.2): name, send date, status, user,
// approved yes/no; approve right in the row or open the message for its details, edit,
// cancel and delete. A row stays after approval so its status is seen changing live.
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import { link, sendDate, smsGet, smsPost, statusBadge, yesNo } from "./sms-util.js";

/**
 * A message of the queue, as GET /api/sms/queue lists it (and sms.message updates it).
 * @typedef {object} QueueMessage
 * @property {number} id
 * @property {string} [name]
 * @property {string} status
 * @property {string | null} [send_at]
 * @property {string} [user_name]
 * @property {boolean} [approved]
 * @property {number} [sms_count]
 * @property {boolean} [deleted] an sms.message about a deleted one
 */
/**
 * The open queue screen.
 * @typedef {object} QueueView
 * @property {QueueMessage[]} items
 * @property {{table: HTMLTableElement, empty: HTMLParagraphElement, error: HTMLParagraphElement}} nodes
 * @property {ReturnType<typeof setTimeout>} [reload]
 */

/** @type {QueueView | null} */
let view = null;

/** @param {QueueMessage} msg */
function row(msg) {
  const name = msg.name || `#${msg.id}`;
  const approveButton = msg.status === "awaiting_approval" && !msg.approved
    ? el("button", {
      type: "button",
      class: "primary",
      "aria-label": st("approveNamed", { name }),
      dataset: { testid: "sms-queue-approve" },
      onclick: () => approve(msg),
    }, st("approve"))
    : null;
  return el(
    "tr",
    { dataset: { testid: "sms-queue-row", id: String(msg.id), status: msg.status } },
    el("th", { scope: "row" }, link(`m/${msg.id}?from=queue`, name, { "aria-label": st("openNamed", { name }), dataset: { testid: "sms-queue-open" } })),
    // data-label: on a phone each row is a card, each value under its column's name (sms.css).
    el("td", { dataset: { label: st("col_send_at") } }, sendDate(msg)),
    el("td", { dataset: { label: st("col_status") } }, statusBadge(msg.status, "sms-queue-status")),
    el("td", { dataset: { label: st("col_user_name") } }, msg.user_name || "\u2014"),
    el("td", { dataset: { testid: "sms-queue-approved", label: st("col_approved") } }, yesNo(msg.approved)),
    el("td", { dataset: { label: st("col_sms_count") } }, String(msg.sms_count ?? "")),
    el("td", {}, approveButton),
  );
}

/** @param {QueueView} view */
function renderTable(view) {
  const table = clear(view.nodes.table);
  const heads = [st("col_name"), st("col_send_at"), st("col_status"), st("col_user_name"), st("col_approved"), st("col_sms_count"), st("actions")];
  table.append(
    el("caption", { class: "sr-only" }, st("queue")),
    el("thead", {}, el("tr", {}, heads.map((h, i) => el("th", { scope: "col" }, i === heads.length - 1 ? el("span", { class: "sr-only" }, h) : h)))),
    el("tbody", {}, view.items.map(row)),
  );
  view.nodes.empty.hidden = view.items.length > 0;
}

/**
 * @param {QueueView} view
 * @param {QueueMessage} msg
 */
function replace(view, msg) {
  const i = view.items.findIndex((m) => m.id === msg.id);
  if (i < 0) return false;
  view.items[i] = { ...view.items[i], ...msg };
  const old = view.nodes.table.querySelector(`tr[data-id="${msg.id}"]`);
  if (old) old.replaceWith(row(view.items[i]));
  return true;
}

/** @param {QueueMessage} msg */
async function approve(msg) {
  if (view) view.nodes.error.textContent = "";
  try {
    const data = await smsPost(`/api/sms/messages/${msg.id}/approve`);
    if (view && data.message) replace(view, data.message);
    announce(`${st("approved")}: ${msg.name || msg.id}`);
  } catch (err) {
    if (view) view.nodes.error.textContent = smsError(err);
  }
}

/** @param {QueueView} mine */
async function load(mine) {
  let data;
  try {
    data = await smsGet("/api/sms/queue");
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  mine.items = data.items || [];
  renderTable(mine);
}

/** @param {HTMLElement} container */
export async function render(container) {
  leave();
  const n = {
    table: el("table", { class: "sms-table sms-cards", dataset: { testid: "sms-queue" } }),
    empty: el("p", { class: "muted", dataset: { testid: "sms-queue-empty" }, hidden: true }, st("queueEmpty")),
    error: el("p", { class: "error", role: "alert", dataset: { testid: "sms-queue-error" } }),
  };
  /** @type {QueueView} */
  const mine = { items: [], nodes: n };
  view = mine;
  container.append(el("h2", {}, st("queue")), n.error, n.table, n.empty);
  renderTable(mine);
  await load(mine);
}

/** sms.message: update a row in place (approved, sending, sent...), drop a deleted one,
 *  and fetch the queue again for a message that newly waits.
 * @param {Record<string, any>} message the event's, as the server sent it
 */
export function onMessage(message) {
  const msg = /** @type {QueueMessage} */ (message);
  const mine = view;
  if (!mine || !msg.id) return;
  if (msg.deleted) {
    mine.items = mine.items.filter((m) => m.id !== msg.id);
    renderTable(mine);
    return;
  }
  if (!replace(mine, msg) && (msg.status === "awaiting_approval" || msg.status === "scheduled")) {
    clearTimeout(mine.reload);
    mine.reload = setTimeout(() => load(mine), 300);
  }
}

export function leave() {
  if (view) clearTimeout(view.reload);
  view = null;
}

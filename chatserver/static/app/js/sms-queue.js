// The SMS queue for SMS-admins (SM-7, SM-12, seed 000 §4.2): name, send date, status, user,
// approved yes/no; approve right in the row or open the message for its details, edit,
// cancel and delete. A row stays after approval so its status is seen changing live.
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import { link, sendDate, smsGet, smsPost, statusBadge, yesNo } from "./sms-util.js";

let view = null;

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

function renderTable() {
  const table = clear(view.nodes.table);
  const heads = [st("col_name"), st("col_send_at"), st("col_status"), st("col_user_name"), st("col_approved"), st("col_sms_count"), st("actions")];
  table.append(
    el("caption", { class: "sr-only" }, st("queue")),
    el("thead", {}, el("tr", {}, heads.map((h, i) => el("th", { scope: "col" }, i === heads.length - 1 ? el("span", { class: "sr-only" }, h) : h)))),
    el("tbody", {}, view.items.map(row)),
  );
  view.nodes.empty.hidden = view.items.length > 0;
}

function replace(msg) {
  const i = view.items.findIndex((m) => m.id === msg.id);
  if (i < 0) return false;
  view.items[i] = { ...view.items[i], ...msg };
  const old = view.nodes.table.querySelector(`tr[data-id="${msg.id}"]`);
  if (old) old.replaceWith(row(view.items[i]));
  return true;
}

async function approve(msg) {
  view.nodes.error.textContent = "";
  try {
    const data = await smsPost(`/api/sms/messages/${msg.id}/approve`);
    if (view && data.message) replace(data.message);
    announce(`${st("approved")}: ${msg.name || msg.id}`);
  } catch (err) {
    if (view) view.nodes.error.textContent = smsError(err);
  }
}

async function load() {
  const mine = view;
  let data;
  try {
    data = await smsGet("/api/sms/queue");
  } catch (err) {
    if (view === mine) view.nodes.error.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  view.items = data.items || [];
  renderTable();
}

export async function render(container) {
  leave();
  view = { items: [], nodes: {} };
  const n = view.nodes;
  n.table = el("table", { class: "sms-table sms-cards", dataset: { testid: "sms-queue" } });
  n.empty = el("p", { class: "muted", dataset: { testid: "sms-queue-empty" }, hidden: true }, st("queueEmpty"));
  n.error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-queue-error" } });
  container.append(el("h2", {}, st("queue")), n.error, n.table, n.empty);
  renderTable();
  await load();
}

/** sms.message: update a row in place (approved, sending, sent...), drop a deleted one,
 *  and fetch the queue again for a message that newly waits. */
export function onMessage(msg) {
  if (!view || !msg.id) return;
  if (msg.deleted) {
    view.items = view.items.filter((m) => m.id !== msg.id);
    renderTable();
    return;
  }
  if (!replace(msg) && (msg.status === "awaiting_approval" || msg.status === "scheduled")) {
    clearTimeout(view.reload);
    view.reload = setTimeout(load, 300);
  }
}

export function leave() {
  if (view) clearTimeout(view.reload);
  view = null;
}

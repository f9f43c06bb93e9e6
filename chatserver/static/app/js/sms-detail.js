// One message (SM-10, SM-12, seed 000 §3.5/4.2): text, sender, user, status and the queue's
// details (added, scheduled, priority, SMS count, approved), every recipient with their
// state and, for those who did not receive it, why; "why did X not receive this?";
// approve (SMS-admins), edit, cancel, delete; records it relates to. Updated live.
import { get } from "../../shared/api.js";
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st, whyText } from "./sms-i18n.js";
import { isAdmin } from "./sms-state.js";
import {
  confirmDialog, go, sendDate, WAITING, smsDelete, smsGet, smsPost, stateLabel, statusBadge, when, yesNo,
} from "./sms-util.js";

let view = null;

function reasonText(r) {
  if (r.included) return "";
  return whyText(r.reason, r.reason_text);
}

function recipientRow(r) {
  return el(
    "tr",
    { dataset: { testid: "sms-recipient", id: String(r.id), state: r.state, included: String(r.included) } },
    el("th", { scope: "row" }, r.name || "\u2014", r.person_id
      ? el("a", { href: `#/sms/new?person=${r.person_id}`, class: "sms-to", "aria-label": st("smsTo", { name: r.name || "" }), dataset: { testid: "sms-recipient-sms" } }, "SMS")
      : null),
    el("td", {}, r.number || r.raw_number || "\u2014"),
    el("td", {}, el("span", { class: `sms-state sms-state-${r.state}`, dataset: { testid: "sms-recipient-state", state: r.state } }, stateLabel(r.state))),
    el("td", { dataset: { testid: "sms-recipient-why" } }, reasonText(r) || (r.error ? r.error : "")),
  );
}

function visibleRecipients() {
  const f = view.recipientFilter;
  return view.recipients.filter((r) => f === "all" || (f === "received" ? r.included : !r.included));
}

const RECIPIENT_PAGE = 200;

/** Outbox rows in all: the summary counts them per state. */
function recipientTotal() {
  const counts = view.msg.counts || {};
  return Object.values(counts).reduce((a, b) => a + (Number(b) || 0), 0);
}

async function moreRecipients() {
  const mine = view;
  const params = new URLSearchParams({ limit: String(RECIPIENT_PAGE), offset: String(view.recipients.length) });
  try {
    const data = await smsGet(`/api/sms/messages/${view.msg.id}/recipients?${params}`);
    if (view !== mine) return;
    const known = new Set(view.recipients.map((r) => r.id));
    view.recipients.push(...(data.items || []).filter((r) => !known.has(r.id)));
    renderRecipients();
  } catch (err) {
    if (view === mine) view.nodes.error.textContent = smsError(err);
  }
}

function renderRecipients() {
  const box = clear(view.nodes.recipients);
  const msg = view.msg;
  view.nodes.recipientFilter.hidden = !view.recipients.length;
  if (!view.recipients.length) {
    box.append(el("p", { class: "muted", dataset: { testid: "sms-recipients-none" } }, WAITING.has(msg.status) ? st("notResolvedYet") : st("noResults")));
    return;
  }
  const rows = visibleRecipients();
  box.append(
    el("table", { class: "sms-table", dataset: { testid: "sms-recipients" } },
      el("caption", { class: "sr-only" }, st("recipientsHeading")),
      el("thead", {}, el("tr", {}, [st("recipientName"), st("number"), st("state"), st("whyNot")].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map(recipientRow))),
  );
  const total = recipientTotal();
  if (view.recipients.length < total) {
    box.append(el("button", { type: "button", dataset: { testid: "sms-recipients-more" }, onclick: moreRecipients },
      `${st("loadMore")} (${view.recipients.length} / ${total})`));
  }
}

function fact(label, value, testid) {
  return [el("dt", {}, label), el("dd", { dataset: { testid } }, value)];
}

function renderFacts() {
  const m = view.msg;
  const box = clear(view.nodes.facts);
  box.append(
    ...fact(st("status"), statusBadge(m.status, "sms-detail-status"), "sms-detail-status-cell"),
    ...fact(st("sender"), m.originator || "\u2014", "sms-detail-sender"),
    ...fact(st("user"), m.user_name || "\u2014", "sms-detail-user"),
    ...fact(st("added"), when(m.created_at), "sms-detail-added"),
    // A message already on its way or gone has no plan left to show (unless one was set).
    ...(WAITING.has(m.status) || m.send_at ? fact(st("scheduledFor"), sendDate(m), "sms-detail-send-at") : []),
    ...fact(st("priority"), String(m.priority ?? 0), "sms-detail-priority"),
    ...fact(st("parts"), String(m.parts ?? 0), "sms-detail-parts"),
    ...fact(st("smsCount"), String(m.sms_count ?? 0), "sms-detail-sms-count"),
    ...fact(st("credits"), String(m.credits_charged ?? 0), "sms-detail-credits"),
    ...fact(st("approved"), m.approved && m.approver_name ? st("approvedBy", { name: m.approver_name }) : yesNo(m.approved), "sms-detail-approved"),
  );
  view.nodes.heading.textContent = m.name || `#${m.id}`;
  view.nodes.subject.textContent = m.subject ? `${st("subject")}: ${m.subject}` : "";
  view.nodes.body.textContent = m.body || "";
  renderActions();
}

function renderActions() {
  const m = view.msg;
  const box = clear(view.nodes.actions);
  const waiting = WAITING.has(m.status);
  if (isAdmin() && m.status === "awaiting_approval" && !m.approved) {
    box.append(el("button", { type: "button", class: "primary", dataset: { testid: "sms-approve" }, onclick: approve }, st("approve")));
  }
  if (waiting && m.editable !== false) {
    const back = view.fromQueue ? "?from=queue" : "";
    box.append(el("a", { href: `#/sms/edit/${m.id}${back}`, class: "button-link", dataset: { testid: "sms-edit" } }, st("edit")));
    box.append(el("button", { type: "button", dataset: { testid: "sms-cancel-message" }, onclick: cancel }, st("cancelMessage")));
  }
  if (m.status !== "sending") {
    box.append(el("button", { type: "button", class: "danger-button", dataset: { testid: "sms-delete" }, onclick: remove }, st("deleteMessage")));
  }
}

/** Run an action; null when it failed (the error is shown) or the user has left this message. */
async function act(fn) {
  const mine = view;
  mine.nodes.error.textContent = "";
  try {
    const data = await fn();
    return view === mine ? data : null;
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
    return null;
  }
}

async function approve() {
  const data = await act(() => smsPost(`/api/sms/messages/${view.msg.id}/approve`));
  if (data && data.message) update(data.message);
}

async function cancel() {
  if (!(await confirmDialog(st("confirmCancelMessage", { name: view.msg.name }))) || !view) return;
  const data = await act(() => smsPost(`/api/sms/messages/${view.msg.id}/cancel`));
  if (data && data.message) update(data.message);
}

async function remove() {
  if (!(await confirmDialog(st("confirmDeleteMessage", { name: view.msg.name }))) || !view) return;
  const back = view.fromQueue ? "queue" : "";
  const mine = view;
  try {
    await smsDelete(`/api/sms/messages/${view.msg.id}`);
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
    return;
  }
  announce(st("deleted"));
  // The sms.message event of the deletion may have taken us back already.
  if (view === mine) go(back);
}

// --- why did X not receive it -----------------------------------------------------------------

async function ask(ev) {
  ev.preventDefault();
  const n = view.nodes;
  const q = n.whyInput.value.trim();
  if (!q) return;
  const data = await act(() => smsGet(`/api/sms/messages/${view.msg.id}/why?${new URLSearchParams({ q })}`));
  if (!data) return;
  const name = (data.recipient && data.recipient.name) || q;
  const reason = whyText(data.reason, data.reason_text || "", " \u2014 ");
  let text;
  if (data.received) {
    text = data.released
      ? st("whyReceived", { name, state: stateLabel(data.recipient ? data.recipient.state : "submitted") })
      : st("whyWillReceive", { name });
  } else {
    text = data.released ? st("whyNotReceived", { name, reason }) : st("whyWillNotReceive", { name, reason });
  }
  n.whyAnswer.textContent = text;
}

// --- related records --------------------------------------------------------------------------

function renderRecords() {
  const box = clear(view.nodes.records);
  const records = view.records || [];
  if (!records.length) {
    box.append(el("p", { class: "muted" }, st("noRelated")));
    return;
  }
  const ul = el("ul", { class: "plain", dataset: { testid: "sms-records" } });
  for (const r of records) {
    ul.append(el("li", { dataset: { testid: "sms-record", id: String(r.id) } },
      el("span", {}, `${r.title || `#${r.id}`}${r.kind ? ` (${r.kind})` : ""} `),
      el("button", {
        type: "button",
        class: "icon-button",
        "aria-label": st("unrelate", { title: r.title || `#${r.id}` }),
        onclick: async () => {
          const data = await act(() => smsDelete(`/api/sms/messages/${view.msg.id}/records/${r.id}`));
          if (data) {
            view.records = data.records || [];
            renderRecords();
          }
        },
      }, el("span", { "aria-hidden": "true" }, "\u00d7"))));
  }
  box.append(ul);
}

async function searchRecords() {
  const n = view.nodes;
  const q = n.recordInput.value.trim();
  const list = clear(n.recordResults);
  if (q.length < 2) return;
  const mine = view;
  let data;
  try {
    data = await get(`/api/records?${new URLSearchParams({ q, limit: "10" })}`);
  } catch (err) {
    if (view === mine) n.error.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  const items = data.items || data.records || data.results || [];
  if (!items.length) list.append(el("li", { class: "muted" }, st("noResults")));
  for (const rec of items) {
    const title = rec.title || rec.name || `#${rec.id}`;
    list.append(el("li", {}, el("button", {
      type: "button",
      class: "sms-suggestion",
      dataset: { testid: "sms-record-result" },
      onclick: async () => {
        const res = await act(() => smsPost(`/api/sms/messages/${view.msg.id}/records`, { record_ids: [rec.id] }));
        if (res) {
          view.records = res.records || [];
          clear(n.recordResults);
          n.recordInput.value = "";
          renderRecords();
        }
      },
    }, `${st("relate")}: ${title}`)));
  }
}

// --- screen -------------------------------------------------------------------------------------

function update(msg) {
  view.msg = { ...view.msg, ...msg };
  renderFacts();
}

export async function render(container, route) {
  leave();
  const id = route.id;
  view = { msg: null, recipients: [], records: [], recipientFilter: "all", fromQueue: route.params.get("from") === "queue", nodes: {} };
  const mine = view;
  const n = view.nodes;
  n.heading = el("h2", { dataset: { testid: "sms-detail-name" } }, st("loading"));
  n.error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-detail-error" } });
  container.append(n.heading, n.error);
  let msg;
  try {
    msg = await smsGet(`/api/sms/messages/${encodeURIComponent(id)}`);
  } catch (err) {
    if (view === mine) {
      n.heading.textContent = st("details");
      n.error.textContent = smsError(err);
    }
    return;
  }
  if (view !== mine) return;
  view.msg = msg;
  view.recipients = msg.recipients || [];
  view.records = msg.records || [];
  n.subject = el("p", { class: "muted", dataset: { testid: "sms-detail-subject" } });
  n.body = el("p", { class: "sms-body-text", dataset: { testid: "sms-detail-body" } });
  n.facts = el("dl", { class: "sms-facts", dataset: { testid: "sms-detail" } });
  n.actions = el("div", { class: "row sms-actions", dataset: { testid: "sms-actions" } });
  n.recipients = el("div", {});
  n.records = el("div", {});
  n.whyInput = el("input", { type: "text", id: "sms-why-q", placeholder: st("whyPlaceholder"), dataset: { testid: "sms-why-input" } });
  n.whyAnswer = el("p", { role: "status", dataset: { testid: "sms-why-answer" } });
  n.recordInput = el("input", { type: "search", id: "sms-record-q", dataset: { testid: "sms-record-search" } });
  n.recordResults = el("ul", { class: "plain sms-suggestions" });
  let timer = null;
  n.recordInput.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(searchRecords, 250);
  });

  const filter = el("div", { class: "row", role: "group", "aria-label": st("recipientsHeading") });
  n.recipientFilter = filter;
  for (const [key, label] of [["all", st("showAll")], ["received", st("showReceived")], ["not", st("showNotReceived")]]) {
    filter.append(el("button", {
      type: "button",
      "aria-pressed": String(key === "all"),
      dataset: { testid: `sms-recipients-${key}` },
      onclick: (ev) => {
        view.recipientFilter = key;
        for (const b of filter.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === ev.currentTarget));
        renderRecipients();
      },
    }, label));
  }
  const whyForm = el("form", { class: "row", dataset: { testid: "sms-why" } },
    el("label", { for: "sms-why-q" }, st("whyQuestion")), n.whyInput,
    el("button", { type: "submit", dataset: { testid: "sms-why-ask" } }, st("ask")));
  whyForm.addEventListener("submit", ask);

  container.append(
    n.subject,
    el("h3", {}, st("text")), n.body,
    n.actions,
    el("h3", {}, st("details")), n.facts,
    el("h3", {}, st("recipientsHeading")), filter, n.recipients, whyForm, n.whyAnswer,
    el("h3", {}, st("related")), n.records,
    el("div", { class: "field" }, el("label", { for: "sms-record-q" }, st("relateTo")), n.recordInput, n.recordResults),
  );
  renderFacts();
  renderRecipients();
  renderRecords();
}

export function onMessage(msg) {
  if (!view || !view.msg || msg.id !== view.msg.id) return;
  if (msg.deleted) {
    go(view.fromQueue ? "queue" : "");
    return;
  }
  const before = view.msg.status;
  update(msg);
  // Released just now: its recipient rows exist; fetch them once.
  if (WAITING.has(before) && !WAITING.has(msg.status)) reloadRecipients();
}

async function reloadRecipients() {
  const mine = view;
  try {
    const data = await smsGet(`/api/sms/messages/${view.msg.id}/recipients?limit=${RECIPIENT_PAGE}`);
    if (view !== mine) return;
    view.recipients = data.items || [];
    renderRecipients();
  } catch {
    /* the next event tries again */
  }
}

export function onRecipient(data) {
  if (!view || !view.msg || data.message_id !== view.msg.id || !data.recipient) return;
  const r = data.recipient;
  const i = view.recipients.findIndex((x) => x.id === r.id);
  if (i >= 0) view.recipients[i] = r;
  else if (view.recipients.length < RECIPIENT_PAGE) view.recipients.push(r); // else it is on a page not shown yet
  else return;
  renderRecipients();
}

export function leave() {
  view = null;
}

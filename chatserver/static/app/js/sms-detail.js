// @ts-check
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

/** @typedef {import("./sms-state.js").SmsRoute} SmsRoute */
/**
 * A record the directory's search finds.
 * @typedef {{id: number, title?: string | null, name?: string | null}} RecordHit
 */
/**
 * A recipient of the message (an outbox row), with why they did not receive it.
 * @typedef {{id: number, state: string, included: boolean, name?: string | null, person_id?: number | null,
 *   number?: string | null, raw_number?: string | null, reason?: string | null, reason_text?: string | null,
 *   error?: string | null}} Recipient
 */
/**
 * A record the message relates to.
 * @typedef {{id: number, title?: string | null, kind?: string | null}} RelatedRecord
 */
/**
 * One message as GET /api/sms/messages/{id} answers it (an action's answer and sms.message carry it too).
 * @typedef {object} SmsMessage
 * @property {number} id
 * @property {string} status
 * @property {string | null} [name]
 * @property {string | null} [subject]
 * @property {string | null} [body]
 * @property {string | null} [originator]
 * @property {string | null} [user_name]
 * @property {string | null} [created_at]
 * @property {string | null} [send_at]
 * @property {number} [priority]
 * @property {number} [parts]
 * @property {number} [sms_count]
 * @property {number} [credits_charged]
 * @property {boolean} [approved]
 * @property {string | null} [approver_name]
 * @property {boolean} [editable]
 * @property {Record<string, number>} [counts] outbox rows per state
 * @property {Recipient[]} [recipients] the first page
 * @property {RelatedRecord[]} [records]
 * @property {boolean} [deleted] an sms.message about a deleted one
 */
/**
 * The answer to "why did X not receive this?".
 * @typedef {{received: boolean, released: boolean, recipient?: {name?: string | null, state?: string} | null,
 *   reason?: string | null, reason_text?: string | null}} WhyAnswer
 */
/**
 * The open message's elements.
 * @typedef {object} DetailNodes
 * @property {HTMLElement} heading
 * @property {HTMLElement} error
 * @property {HTMLElement} subject
 * @property {HTMLElement} body
 * @property {HTMLElement} facts
 * @property {HTMLElement} actions
 * @property {HTMLElement} recipients
 * @property {HTMLElement} recipientFilter
 * @property {HTMLElement} records
 * @property {HTMLInputElement} whyInput
 * @property {HTMLElement} whyAnswer
 * @property {HTMLInputElement} recordInput
 * @property {HTMLElement} recordResults
 */
/**
 * The open message, once loaded; `fromQueue`: opened from the queue, where Delete goes back to.
 * @typedef {{msg: SmsMessage, recipients: Recipient[], records: RelatedRecord[],
 *   recipientFilter: string, fromQueue: boolean, nodes: DetailNodes}} DetailView
 */

/** @type {DetailView | null} */
let view = null;
/** @type {object | null} the message being loaded (a fresh object per render): stale answers are dropped by it */
let loading = null;

/** @param {Recipient} r */
function reasonText(r) {
  if (r.included) return "";
  return whyText(r.reason, r.reason_text);
}

/** @param {Recipient} r */
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

/** @param {DetailView} view */
function visibleRecipients(view) {
  const f = view.recipientFilter;
  return view.recipients.filter((r) => f === "all" || (f === "received" ? r.included : !r.included));
}

const RECIPIENT_PAGE = 200;

/**
 * Outbox rows in all: the summary counts them per state.
 * @param {DetailView} view
 */
function recipientTotal(view) {
  const counts = view.msg.counts || {};
  return Object.values(counts).reduce((a, b) => a + (Number(b) || 0), 0);
}

/** @param {DetailView} mine */
async function moreRecipients(mine) {
  const params = new URLSearchParams({ limit: String(RECIPIENT_PAGE), offset: String(mine.recipients.length) });
  try {
    /** @type {{items?: Recipient[]}} */
    const data = await smsGet(`/api/sms/messages/${mine.msg.id}/recipients?${params}`);
    if (view !== mine) return;
    const known = new Set(mine.recipients.map((r) => r.id));
    mine.recipients.push(...(data.items || []).filter((r) => !known.has(r.id)));
    renderRecipients(mine);
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
  }
}

/** @param {DetailView} view */
function renderRecipients(view) {
  const box = clear(view.nodes.recipients);
  const msg = view.msg;
  view.nodes.recipientFilter.hidden = !view.recipients.length;
  if (!view.recipients.length) {
    box.append(el("p", { class: "muted", dataset: { testid: "sms-recipients-none" } }, WAITING.has(msg.status) ? st("notResolvedYet") : st("noResults")));
    return;
  }
  const rows = visibleRecipients(view);
  box.append(
    el("table", { class: "sms-table", dataset: { testid: "sms-recipients" } },
      el("caption", { class: "sr-only" }, st("recipientsHeading")),
      el("thead", {}, el("tr", {}, [st("recipientName"), st("number"), st("state"), st("whyNot")].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map(recipientRow))),
  );
  const total = recipientTotal(view);
  if (view.recipients.length < total) {
    box.append(el("button", { type: "button", dataset: { testid: "sms-recipients-more" }, onclick: () => moreRecipients(view) },
      `${st("loadMore")} (${view.recipients.length} / ${total})`));
  }
}

/**
 * @param {string} label
 * @param {string | HTMLElement} value
 * @param {string} testid
 */
function fact(label, value, testid) {
  return [el("dt", {}, label), el("dd", { dataset: { testid } }, value)];
}

/** @param {DetailView} view */
function renderFacts(view) {
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
  renderActions(view);
}

/** @param {DetailView} view */
function renderActions(view) {
  const m = view.msg;
  const box = clear(view.nodes.actions);
  const waiting = WAITING.has(m.status);
  if (isAdmin() && m.status === "awaiting_approval" && !m.approved) {
    box.append(el("button", { type: "button", class: "primary", dataset: { testid: "sms-approve" }, onclick: () => approve(view) }, st("approve")));
  }
  if (waiting && m.editable !== false) {
    const back = view.fromQueue ? "?from=queue" : "";
    box.append(el("a", { href: `#/sms/edit/${m.id}${back}`, class: "button-link", dataset: { testid: "sms-edit" } }, st("edit")));
    box.append(el("button", { type: "button", dataset: { testid: "sms-cancel-message" }, onclick: () => cancel(view) }, st("cancelMessage")));
  }
  if (m.status !== "sending") {
    box.append(el("button", { type: "button", class: "danger-button", dataset: { testid: "sms-delete" }, onclick: () => remove(view) }, st("deleteMessage")));
  }
}

/**
 * Run an action; null when it failed (the error is shown) or the user has left this message.
 * @param {DetailView} mine
 * @param {() => Promise<unknown>} fn
 * @returns {Promise<unknown>} the server's answer
 */
async function act(mine, fn) {
  mine.nodes.error.textContent = "";
  try {
    const data = await fn();
    return view === mine ? data : null;
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
    return null;
  }
}

/**
 * Approve or cancel: the answer holds the message as it is now.
 * @param {DetailView} mine
 * @param {string} action
 */
async function post(mine, action) {
  const data = /** @type {{message?: SmsMessage} | null} */ (await act(mine, () => smsPost(`/api/sms/messages/${mine.msg.id}/${action}`)));
  if (data && data.message) update(mine, data.message);
}

/** @param {DetailView} mine */
function approve(mine) {
  return post(mine, "approve");
}

/** @param {DetailView} mine */
async function cancel(mine) {
  if (!(await confirmDialog(st("confirmCancelMessage", { name: mine.msg.name }))) || view !== mine) return;
  await post(mine, "cancel");
}

/** @param {DetailView} mine */
async function remove(mine) {
  if (!(await confirmDialog(st("confirmDeleteMessage", { name: mine.msg.name }))) || view !== mine) return;
  const back = mine.fromQueue ? "queue" : "";
  try {
    await smsDelete(`/api/sms/messages/${mine.msg.id}`);
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
    return;
  }
  announce(st("deleted"));
  // The sms.message event of the deletion may have taken us back already.
  if (view === mine) go(back);
}

// --- why did X not receive it -----------------------------------------------------------------

/** @param {DetailView} mine */
async function ask(mine) {
  const n = mine.nodes;
  const q = n.whyInput.value.trim();
  if (!q) return;
  const data = /** @type {WhyAnswer | null} */ (await act(mine, () => smsGet(`/api/sms/messages/${mine.msg.id}/why?${new URLSearchParams({ q })}`)));
  if (!data) return;
  const name = (data.recipient && data.recipient.name) || q;
  const reason = whyText(data.reason, data.reason_text || "", " \u2014 ");
  let text;
  if (data.received) {
    text = data.released
      ? st("whyReceived", { name, state: stateLabel((data.recipient && data.recipient.state) || "submitted") })
      : st("whyWillReceive", { name });
  } else {
    text = data.released ? st("whyNotReceived", { name, reason }) : st("whyWillNotReceive", { name, reason });
  }
  n.whyAnswer.textContent = text;
}

// --- related records --------------------------------------------------------------------------

/** @param {DetailView} view */
function renderRecords(view) {
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
          const data = /** @type {{records?: RelatedRecord[]} | null} */ (await act(view, () => smsDelete(`/api/sms/messages/${view.msg.id}/records/${r.id}`)));
          if (data) {
            view.records = data.records || [];
            renderRecords(view);
          }
        },
      }, el("span", { "aria-hidden": "true" }, "\u00d7"))));
  }
  box.append(ul);
}

/** @param {DetailView} mine */
async function searchRecords(mine) {
  const n = mine.nodes;
  const q = n.recordInput.value.trim();
  const list = clear(n.recordResults);
  if (q.length < 2) return;
  /** @type {{items?: RecordHit[], records?: RecordHit[], results?: RecordHit[]}} */
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
        const res = /** @type {{records?: RelatedRecord[]} | null} */ (await act(mine, () => smsPost(`/api/sms/messages/${mine.msg.id}/records`, { record_ids: [rec.id] })));
        if (res) {
          mine.records = res.records || [];
          clear(n.recordResults);
          n.recordInput.value = "";
          renderRecords(mine);
        }
      },
    }, `${st("relate")}: ${title}`)));
  }
}

// --- screen -------------------------------------------------------------------------------------

/**
 * @param {DetailView} view
 * @param {Partial<SmsMessage>} msg what changed
 */
function update(view, msg) {
  view.msg = { ...view.msg, ...msg };
  renderFacts(view);
}

/**
 * @param {HTMLElement} container
 * @param {SmsRoute} route
 */
export async function render(container, route) {
  leave();
  const id = String(route.id); // "#/sms/m" without an id asks for "null": the server's refusal is shown
  const token = {};
  loading = token;
  const heading = el("h2", { dataset: { testid: "sms-detail-name" } }, st("loading"));
  const error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-detail-error" } });
  container.append(heading, error);
  /** @type {SmsMessage} */
  let msg;
  try {
    msg = await smsGet(`/api/sms/messages/${encodeURIComponent(id)}`);
  } catch (err) {
    if (loading === token) {
      heading.textContent = st("details");
      error.textContent = smsError(err);
    }
    return;
  }
  if (loading !== token) return;
  loading = null;
  const filter = el("div", { class: "row", role: "group", "aria-label": st("recipientsHeading") });
  /** @type {DetailNodes} */
  const n = {
    heading,
    error,
    subject: el("p", { class: "muted", dataset: { testid: "sms-detail-subject" } }),
    body: el("p", { class: "sms-body-text", dataset: { testid: "sms-detail-body" } }),
    facts: el("dl", { class: "sms-facts", dataset: { testid: "sms-detail" } }),
    actions: el("div", { class: "row sms-actions", dataset: { testid: "sms-actions" } }),
    recipients: el("div", {}),
    recipientFilter: filter,
    records: el("div", {}),
    whyInput: el("input", { type: "text", id: "sms-why-q", placeholder: st("whyPlaceholder"), dataset: { testid: "sms-why-input" } }),
    whyAnswer: el("p", { role: "status", dataset: { testid: "sms-why-answer" } }),
    recordInput: el("input", { type: "search", id: "sms-record-q", dataset: { testid: "sms-record-search" } }),
    recordResults: el("ul", { class: "plain sms-suggestions" }),
  };
  /** @type {DetailView} */
  const mine = {
    msg, recipients: msg.recipients || [], records: msg.records || [], recipientFilter: "all",
    fromQueue: route.params.get("from") === "queue", nodes: n,
  };
  view = mine;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  n.recordInput.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => searchRecords(mine), 250);
  });

  for (const [key, label] of [["all", st("showAll")], ["received", st("showReceived")], ["not", st("showNotReceived")]]) {
    filter.append(el("button", {
      type: "button",
      "aria-pressed": String(key === "all"),
      dataset: { testid: `sms-recipients-${key}` },
      onclick: (/** @type {MouseEvent} */ ev) => {
        mine.recipientFilter = key;
        for (const b of filter.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === ev.currentTarget));
        renderRecipients(mine);
      },
    }, label));
  }
  const whyForm = el("form", { class: "row", dataset: { testid: "sms-why" } },
    el("label", { for: "sms-why-q" }, st("whyQuestion")), n.whyInput,
    el("button", { type: "submit", dataset: { testid: "sms-why-ask" } }, st("ask")));
  whyForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    ask(mine);
  });

  container.append(
    n.subject,
    el("h3", {}, st("text")), n.body,
    n.actions,
    el("h3", {}, st("details")), n.facts,
    el("h3", {}, st("recipientsHeading")), filter, n.recipients, whyForm, n.whyAnswer,
    el("h3", {}, st("related")), n.records,
    el("div", { class: "field" }, el("label", { for: "sms-record-q" }, st("relateTo")), n.recordInput, n.recordResults),
  );
  renderFacts(mine);
  renderRecipients(mine);
  renderRecords(mine);
}

/**
 * sms.message: this message changed (or was deleted).
 * @param {Record<string, any>} message the event's, as the server sent it
 */
export function onMessage(message) {
  const msg = /** @type {SmsMessage} */ (message);
  const mine = view;
  if (!mine || msg.id !== mine.msg.id) return;
  if (msg.deleted) {
    go(mine.fromQueue ? "queue" : "");
    return;
  }
  const before = mine.msg.status;
  update(mine, msg);
  // Released just now: its recipient rows exist; fetch them once.
  if (WAITING.has(before) && !WAITING.has(msg.status)) reloadRecipients(mine);
}

/** @param {DetailView} mine */
async function reloadRecipients(mine) {
  try {
    /** @type {{items?: Recipient[]}} */
    const data = await smsGet(`/api/sms/messages/${mine.msg.id}/recipients?limit=${RECIPIENT_PAGE}`);
    if (view !== mine) return;
    mine.recipients = data.items || [];
    renderRecipients(mine);
  } catch {
    /* the next event tries again */
  }
}

/**
 * sms.recipient: one recipient's state changed.
 * @param {Record<string, any>} data the event's, as the server sent it
 */
export function onRecipient(data) {
  const mine = view;
  if (!mine || data.message_id !== mine.msg.id || !data.recipient) return;
  const r = /** @type {Recipient} */ (data.recipient);
  const i = mine.recipients.findIndex((x) => x.id === r.id);
  if (i >= 0) mine.recipients[i] = r;
  else if (mine.recipients.length < RECIPIENT_PAGE) mine.recipients.push(r); // else it is on a page not shown yet
  else return;
  renderRecipients(mine);
}

export function leave() {
  view = null;
  loading = null;
}

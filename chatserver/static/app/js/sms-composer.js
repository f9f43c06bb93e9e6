// @ts-check
// The composer (SM-2..SM-8, seed 000 §3.3/3.4): recipients included or excluded, send now
// or at a date and time, from the default sender or my own number, an internal subject,
// and the text with characters left, parts and cost counted as the user types (the same
// rules as the server's sms/segments.py; the server's preview counts the recipients).
// #/sms/new?record=ID | person=ID | user=ID | number=N opens it with a recipient chosen;
// #/sms/edit/ID edits a waiting message.
// Its parts: sms-compose-recipients.js (the chips), sms-compose-counter.js (the counter and
// the server's preview); this module builds the form, fills it and sends it.
import { ApiError } from "../../shared/api.js";
import { announce, clear, el } from "../../shared/dom.js";
import { picker } from "./sms-picker.js";
import { renderCounter, renderRecipientSummary, schedulePreview, wire } from "./sms-compose-counter.js";
import { addItem, addTyped, nameChips, renderChips } from "./sms-compose-recipients.js";
import { isAdmin, smsConfig } from "./sms-state.js";
import { smsError, st } from "./sms-i18n.js";
import { go, link, localMoment, smsGet, smsPatch, smsPost, toInputs, when } from "./sms-util.js";

/** @typedef {import("./sms-compose-counter.js").ComposeForm} ComposeForm */

/** @type {ComposeForm | null} */
let form = null; // the open composer, null when none (a closed one is marked closed: late answers are dropped)

// --- sender and time --------------------------------------------------------------------

/** @param {ComposeForm} form */
function renderSender(form) {
  const n = form.nodes;
  const own = smsConfig.own_number;
  n.ownNumber.disabled = !own;
  n.ownHint.textContent = own ? "" : st("noOwnNumber");
  if (n.ownNumber.checked && own) n.sender.textContent = st("senderIs", { sender: own });
  else if (smsConfig.default_sender) n.sender.textContent = st("senderIs", { sender: smsConfig.default_sender });
  else n.sender.textContent = smsConfig.loaded ? st("noDefaultSender") : "";
}

/** @param {ComposeForm} form */
function renderTime(form) {
  const later = form.nodes.later.checked;
  form.nodes.when.hidden = !later;
}

// --- sending ------------------------------------------------------------------------------

/**
 * The message to send, or what is wrong and where.
 * @param {ComposeForm} form
 * @returns {{payload: Record<string, unknown>, error?: undefined, focus?: undefined} | {error: string, focus: HTMLElement, payload?: undefined}}
 */
function collect(form) {
  const n = form.nodes;
  const m = form.measure;
  if (!form.items.some((i) => (i.mode || "include") === "include")) return { error: st("needRecipients"), focus: form.nodes.pickerInput };
  if (!m || !m.allowed) {
    const text = !m || m.reason === "empty" ? st("emptyMessage") : n.lengthNote.textContent || st("emptyMessage");
    return { error: text, focus: n.body };
  }
  let sendAt = null;
  if (n.later.checked) {
    const moment = localMoment(n.date.value, n.time.value);
    if (moment.error !== undefined) return { error: moment.error, focus: n.date };
    sendAt = moment.iso;
  }
  const priority = Number(n.priority.value || 0);
  if (!Number.isInteger(priority) || priority < 0 || priority > 100) return { error: st("priorityRange"), focus: n.priority };
  /** @type {Record<string, unknown>} */
  const payload = {
    subject: n.subject.value.trim(),
    body: n.body.value,
    from_own_number: n.ownNumber.checked,
    send_at: sendAt,
    recipients: form.items.map(wire),
    subscription_id: n.subscription.value ? Number(n.subscription.value) : null,
  };
  if (isAdmin()) payload.priority = priority;
  if (!form.editId) payload.record_ids = form.recordIds;
  return { payload };
}

/**
 * What the answer to a send means, in a sentence.
 * @param {{message?: {id?: number, status?: string, send_at?: string, recipients_planned?: number}, needs_approval?: boolean}} data
 */
function resultNotice(data) {
  const msg = data.message || {};
  let text;
  if (data.needs_approval || msg.status === "awaiting_approval") {
    text = st("waitsForApproval", { count: msg.recipients_planned ?? "?", limit: smsConfig.recipient_limit });
  } else if (msg.status === "scheduled") {
    text = st("scheduledNotice", { when: when(msg.send_at) });
  } else {
    text = st("sentNotice");
  }
  return { text, waiting: Boolean(data.needs_approval), msg };
}

/**
 * @param {ComposeForm} form
 * @param {SubmitEvent} ev
 */
async function submit(form, ev) {
  ev.preventDefault();
  const n = form.nodes;
  n.error.textContent = "";
  const { payload, error, focus } = collect(form);
  if (error) {
    n.error.textContent = error;
    if (focus) focus.focus();
    return;
  }
  n.submit.disabled = true;
  let data;
  try {
    data = form.editId
      ? await smsPatch(`/api/sms/messages/${form.editId}`, payload)
      : await smsPost("/api/sms/messages", payload);
  } catch (err) {
    if (!form.closed) {
      n.error.textContent = smsError(err);
      n.submit.disabled = false;
    }
    return;
  } finally {
    if (!form.closed) n.submit.disabled = false;
  }
  if (form.closed) return;
  const notice = resultNotice(data);
  announce(notice.text);
  if (form.editId) {
    // An edit goes back to the message, whose status says whether it (still) waits.
    go(`m/${form.editId}${form.fromQueue ? "?from=queue" : ""}`);
    return;
  }
  // The form starts afresh; the notice stays, with a link to the message.
  const box = clear(n.notice);
  box.hidden = false;
  box.dataset.waiting = String(notice.waiting);
  box.append(el("p", { dataset: { testid: "sms-compose-notice-text" } }, notice.text));
  if (notice.msg.id) box.append(el("p", {}, link(`m/${notice.msg.id}`, st("openMessage"), { dataset: { testid: "sms-compose-open" } })));
  if (!form.editId) {
    form.items = [];
    form.preview = null;
    n.body.value = "";
    n.subject.value = "";
    renderChips(form);
    renderRecipientSummary(form);
    renderCounter(form);
  }
  box.focus();
}

// --- building the form ------------------------------------------------------------------

/**
 * @param {string} id the control's
 * @param {string} label
 * @param {HTMLElement} control
 * @param {...HTMLElement} after
 */
function field(id, label, control, ...after) {
  return el("div", { class: "field" }, el("label", { for: id }, label), control, ...after);
}

/**
 * The form, in ``container``; its state, with the elements, is the open composer.
 * @param {HTMLElement} container
 * @param {string} title
 * @param {string | null} editId
 * @param {boolean} fromQueue
 * @returns {ComposeForm}
 */
function build(container, title, editId, fromQueue) {
  const chips = el("ul", { class: "plain sms-chips", "aria-label": st("recipients"), dataset: { testid: "sms-chips" } });
  const noRecipients = el("p", { class: "muted" }, st("noRecipientsYet"));
  const count = el("p", { class: "muted", role: "status", dataset: { testid: "sms-recipient-count" } });
  const overLimit = el("p", { class: "notice", role: "status", dataset: { testid: "sms-over-limit" }, hidden: true });
  const recipientError = el("p", { class: "error", role: "alert", dataset: { testid: "sms-recipient-error" } });
  const pick = picker({ onAdd: (item) => addTyped(mine, item), testid: "sms-picker" });
  const pickerInput = /** @type {HTMLInputElement} */ (pick.querySelector("input")); // the picker's field

  const now = el("input", { type: "radio", id: "sms-when-now", name: "sms-when", value: "now", checked: true, dataset: { testid: "sms-send-now" } });
  const later = el("input", { type: "radio", id: "sms-when-later", name: "sms-when", value: "later", dataset: { testid: "sms-send-later" } });
  const date = el("input", { type: "date", id: "sms-date", dataset: { testid: "sms-date" } });
  const time = el("input", { type: "time", id: "sms-time", dataset: { testid: "sms-time" } });
  const whenRow = el("div", { class: "sms-when row" }, field("sms-date", st("date"), date), field("sms-time", st("time"), time));

  const ownNumber = el("input", { type: "checkbox", id: "sms-own-number", "aria-describedby": "sms-own-hint", dataset: { testid: "sms-own-number" } });
  const ownHint = el("span", { id: "sms-own-hint", class: "muted", dataset: { testid: "sms-own-hint" } });
  const sender = el("p", { class: "muted", dataset: { testid: "sms-sender" } });

  const subscription = el("select", { id: "sms-subscription", "aria-describedby": "sms-subscription-hint", dataset: { testid: "sms-subscription" } },
    el("option", { value: "" }, st("noSubscription")));
  const subscriptionField = el("div", { hidden: true },
    field("sms-subscription", st("subscription"), subscription,
      el("span", { id: "sms-subscription-hint", class: "muted" }, st("subscriptionHint"))));
  const priority = el("input", { type: "number", id: "sms-priority", min: "0", max: "100", step: "1", value: "0", dataset: { testid: "sms-priority" } });
  const subject = el("input", { type: "text", id: "sms-subject", maxlength: "200", "aria-describedby": "sms-subject-hint", dataset: { testid: "sms-subject" } });
  const body = el("textarea", { id: "sms-body", rows: "5", "aria-describedby": "sms-counter sms-length-note", dataset: { testid: "sms-body" } });
  const left = el("span", { dataset: { testid: "sms-chars-left" } });
  const parts = el("span", { dataset: { testid: "sms-parts" } });
  const encoding = el("span", { dataset: { testid: "sms-encoding" } });
  const cost = el("span", { dataset: { testid: "sms-cost" } });
  const partsWrap = el("span", {}, " \u00b7 ", parts);
  const balance = el("span", { class: "muted", dataset: { testid: "sms-balance" } });
  const lengthNote = el("p", { id: "sms-length-note", class: "error", "aria-live": "polite", dataset: { testid: "sms-length-note" } });
  const error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-compose-error" } });
  const notice = el("div", { class: "notice", tabindex: "-1", role: "status", dataset: { testid: "sms-compose-notice" }, hidden: true });
  const submitButton = el("button", { type: "submit", class: "primary", dataset: { testid: "sms-send" } }, editId ? st("save") : st("send"));
  const origin = el("p", { class: "muted", dataset: { testid: "sms-origin" } });

  const formEl = el(
    "form",
    { class: "sms-composer", novalidate: true, "aria-labelledby": "sms-composer-heading", dataset: { testid: "sms-composer" } },
    el("h2", { id: "sms-composer-heading" }, title),
    origin,
    notice,
    el("fieldset", {}, el("legend", {}, st("recipients")), pick, chips, noRecipients, count, overLimit, recipientError),
    subscriptionField,
    el("fieldset", {},
      el("legend", {}, st("sendTime")),
      el("div", { class: "row" },
        el("span", {}, now, el("label", { for: "sms-when-now" }, st("sendNow"))),
        el("span", {}, later, el("label", { for: "sms-when-later" }, st("sendLater")))),
      whenRow),
    el("div", { class: "field-inline" }, ownNumber, el("label", { for: "sms-own-number" }, st("fromMyNumber")), ownHint),
    sender,
    isAdmin() ? field("sms-priority", st("priority"), priority) : null,
    field("sms-subject", st("subject"), subject, el("span", { id: "sms-subject-hint", class: "muted" }, st("subjectHint"))),
    field("sms-body", st("message"), body),
    el("p", { id: "sms-counter", class: "sms-counter", dataset: { testid: "sms-counter" } },
      left, partsWrap, " \u00b7 ", encoding, el("br"), cost, " ", balance),
    lengthNote,
    error,
    el("div", { class: "row" }, submitButton,
      el("button", { type: "button", dataset: { testid: "sms-cancel" }, onclick: () => go(editId ? `m/${editId}` : "") }, st("cancel"))),
  );
  /** @type {ComposeForm} */
  const mine = {
    items: [], preview: null, previewAsked: 0, previewTimer: undefined, recordIds: [], editId, measure: null, closed: false, fromQueue,
    nodes: {
      chips, noRecipients, count, overLimit, recipientError, pickerInput, now, later, date, time, when: whenRow, ownNumber, ownHint,
      sender, subscription, subscriptionField, priority, subject, body, left, parts, encoding, cost, partsWrap, balance,
      lengthNote, error, notice, submit: submitButton, origin,
    },
  };
  body.addEventListener("input", () => {
    renderCounter(mine);
    schedulePreview(mine);
  });
  now.addEventListener("change", () => renderTime(mine));
  later.addEventListener("change", () => {
    renderTime(mine);
    if (later.checked && !date.value) {
      // Start from tomorrow 10:00 (the seed's example), which the user then adjusts.
      const t = new Date(Date.now() + 86400000);
      t.setHours(10, 0, 0, 0);
      const v = toInputs(t.toISOString());
      date.value = v.date;
      time.value = v.time;
    }
  });
  ownNumber.addEventListener("change", () => renderSender(mine));
  subscription.addEventListener("change", () => schedulePreview(mine));
  formEl.addEventListener("submit", (ev) => submit(mine, ev));
  container.append(formEl);
  renderChips(mine);
  renderTime(mine);
  renderSender(mine);
  renderCounter(mine);
  renderRecipientSummary(mine);
  return mine;
}

// --- preselection: from a record, a person, a colleague, a number -----------------------

/**
 * @param {ComposeForm} mine
 * @param {URLSearchParams} params
 */
async function preselect(mine, params) {
  const n = mine.nodes;
  const still = () => !mine.closed; // the user may have left the composer meanwhile
  try {
    const record = params.get("record");
    if (record) {
      const data = await smsGet(`/api/sms/records/${encodeURIComponent(record)}/compose`);
      if (!still()) return;
      for (const item of data.recipients || []) addItem(mine, item);
      mine.recordIds = data.record_ids || [];
      if (data.record) n.origin.textContent = st("fromRecord", { title: data.record.title });
    }
    const person = params.get("person"), user = params.get("user"), number = params.get("number");
    if (person) addItem(mine, { type: "person", id: Number(person), name: "" });
    if (user) addItem(mine, { type: "user", id: Number(user), name: "" });
    if (number) addItem(mine, { type: "number", number, name: "" });
    await nameChips(mine);
  } catch (err) {
    if (still()) n.recipientError.textContent = smsError(err);
  }
}

/**
 * @param {ComposeForm} mine
 * @param {string} id the waiting message's
 */
async function loadForEdit(mine, id) {
  const msg = await smsGet(`/api/sms/messages/${encodeURIComponent(id)}`);
  if (mine.closed) return;
  if (!msg.editable) throw new ApiError("not_editable", st("notEditable"), 409);
  const n = mine.nodes;
  n.subject.value = msg.subject || "";
  n.body.value = msg.body || "";
  n.ownNumber.checked = msg.sender_kind === "own_number";
  n.priority.value = String(msg.priority ?? 0);
  await subscriptionsLoaded;
  if (mine.closed) return;
  n.subscription.value = msg.subscription_id ? String(msg.subscription_id) : "";
  if (msg.send_at) {
    const v = toInputs(msg.send_at);
    n.later.checked = true;
    n.date.value = v.date;
    n.time.value = v.time;
  }
  for (const item of msg.selection || []) addItem(mine, { ...item, name: item.name || "" });
  nameChips(mine);
  renderTime(mine);
  renderSender(mine);
  renderCounter(mine);
}

/** @type {Promise<void>} */
let subscriptionsLoaded = Promise.resolve();

/**
 * Opt-in lists (seed 002): a message for one reaches only the people subscribed to it.
 * @param {ComposeForm} mine
 */
async function loadSubscriptions(mine) {
  /** @type {{id: number, name: string}[]} */
  let items = [];
  try {
    items = (await smsGet("/api/sms/subscriptions")).items || [];
  } catch {
    items = [];
  }
  if (mine.closed) return;
  for (const sub of items) mine.nodes.subscription.append(el("option", { value: String(sub.id) }, sub.name));
  mine.nodes.subscriptionField.hidden = items.length === 0;
}

/**
 * @param {HTMLElement} container
 * @param {import("./sms-state.js").SmsRoute} route #/sms/new or #/sms/edit/ID
 */
export async function render(container, route) {
  leave();
  const editId = route.name === "edit" && route.id ? route.id : null;
  const mine = build(container, editId ? st("editing") : st("newSms"), editId, route.params.get("from") === "queue");
  form = mine;
  subscriptionsLoaded = loadSubscriptions(mine);
  if (editId) {
    try {
      await loadForEdit(mine, editId);
    } catch (err) {
      if (!mine.closed) mine.nodes.error.textContent = smsError(err);
    }
  } else {
    await preselect(mine, route.params);
  }
}

export function leave() {
  if (form) {
    clearTimeout(form.previewTimer);
    form.closed = true;
  }
  form = null;
}

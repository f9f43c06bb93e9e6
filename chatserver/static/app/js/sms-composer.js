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

let form = null; // the open composer's state, null when closed (then marked closed: late answers are dropped)

// --- sender and time --------------------------------------------------------------------

function renderSender() {
  const n = form.nodes;
  const own = smsConfig.own_number;
  n.ownNumber.disabled = !own;
  n.ownHint.textContent = own ? "" : st("noOwnNumber");
  if (n.ownNumber.checked && own) n.sender.textContent = st("senderIs", { sender: own });
  else if (smsConfig.default_sender) n.sender.textContent = st("senderIs", { sender: smsConfig.default_sender });
  else n.sender.textContent = smsConfig.loaded ? st("noDefaultSender") : "";
}

function renderTime() {
  const later = form.nodes.later.checked;
  form.nodes.when.hidden = !later;
}

// --- sending ------------------------------------------------------------------------------

function collect() {
  const n = form.nodes;
  const m = form.measure;
  if (!form.items.some((i) => (i.mode || "include") === "include")) return { error: st("needRecipients"), focus: form.nodes.pickerInput };
  if (!m.allowed) {
    const text = m.reason === "empty" ? st("emptyMessage") : n.lengthNote.textContent || st("emptyMessage");
    return { error: text, focus: n.body };
  }
  let sendAt = null;
  if (n.later.checked) {
    const moment = localMoment(n.date.value, n.time.value);
    if (moment.error) return { error: moment.error, focus: n.date };
    sendAt = moment.iso;
  }
  const priority = Number(n.priority.value || 0);
  if (!Number.isInteger(priority) || priority < 0 || priority > 100) return { error: st("priorityRange"), focus: n.priority };
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

async function submit(ev) {
  ev.preventDefault();
  const n = form.nodes;
  n.error.textContent = "";
  const { payload, error, focus } = collect();
  if (error) {
    n.error.textContent = error;
    if (focus) focus.focus();
    return;
  }
  n.submit.disabled = true;
  const mine = form;
  let data;
  try {
    data = form.editId
      ? await smsPatch(`/api/sms/messages/${form.editId}`, payload)
      : await smsPost("/api/sms/messages", payload);
  } catch (err) {
    if (form === mine) {
      n.error.textContent = smsError(err);
      n.submit.disabled = false;
    }
    return;
  } finally {
    if (form === mine) n.submit.disabled = false;
  }
  if (form !== mine) return;
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

function field(id, label, control, ...after) {
  return el("div", { class: "field" }, el("label", { for: id }, label), control, ...after);
}

function build(container, title) {
  const mine = form;
  const nodes = {};
  nodes.chips = el("ul", { class: "plain sms-chips", "aria-label": st("recipients"), dataset: { testid: "sms-chips" } });
  nodes.noRecipients = el("p", { class: "muted" }, st("noRecipientsYet"));
  nodes.count = el("p", { class: "muted", role: "status", dataset: { testid: "sms-recipient-count" } });
  nodes.overLimit = el("p", { class: "notice", role: "status", dataset: { testid: "sms-over-limit" }, hidden: true });
  nodes.recipientError = el("p", { class: "error", role: "alert", dataset: { testid: "sms-recipient-error" } });
  const pick = picker({ onAdd: (item) => addTyped(mine, item), testid: "sms-picker" });
  nodes.pickerInput = pick.querySelector("input");

  nodes.now = el("input", { type: "radio", id: "sms-when-now", name: "sms-when", value: "now", checked: true, dataset: { testid: "sms-send-now" } });
  nodes.later = el("input", { type: "radio", id: "sms-when-later", name: "sms-when", value: "later", dataset: { testid: "sms-send-later" } });
  nodes.date = el("input", { type: "date", id: "sms-date", dataset: { testid: "sms-date" } });
  nodes.time = el("input", { type: "time", id: "sms-time", dataset: { testid: "sms-time" } });
  nodes.when = el("div", { class: "sms-when row" }, field("sms-date", st("date"), nodes.date), field("sms-time", st("time"), nodes.time));

  nodes.ownNumber = el("input", { type: "checkbox", id: "sms-own-number", "aria-describedby": "sms-own-hint", dataset: { testid: "sms-own-number" } });
  nodes.ownHint = el("span", { id: "sms-own-hint", class: "muted", dataset: { testid: "sms-own-hint" } });
  nodes.sender = el("p", { class: "muted", dataset: { testid: "sms-sender" } });

  nodes.subscription = el("select", { id: "sms-subscription", "aria-describedby": "sms-subscription-hint", dataset: { testid: "sms-subscription" } },
    el("option", { value: "" }, st("noSubscription")));
  nodes.subscriptionField = el("div", { hidden: true },
    field("sms-subscription", st("subscription"), nodes.subscription,
      el("span", { id: "sms-subscription-hint", class: "muted" }, st("subscriptionHint"))));
  nodes.priority = el("input", { type: "number", id: "sms-priority", min: "0", max: "100", step: "1", value: "0", dataset: { testid: "sms-priority" } });
  nodes.subject = el("input", { type: "text", id: "sms-subject", maxlength: "200", "aria-describedby": "sms-subject-hint", dataset: { testid: "sms-subject" } });
  nodes.body = el("textarea", { id: "sms-body", rows: "5", "aria-describedby": "sms-counter sms-length-note", dataset: { testid: "sms-body" } });
  nodes.left = el("span", { dataset: { testid: "sms-chars-left" } });
  nodes.parts = el("span", { dataset: { testid: "sms-parts" } });
  nodes.encoding = el("span", { dataset: { testid: "sms-encoding" } });
  nodes.cost = el("span", { dataset: { testid: "sms-cost" } });
  nodes.partsWrap = el("span", {}, " \u00b7 ", nodes.parts);
  nodes.balance = el("span", { class: "muted", dataset: { testid: "sms-balance" } });
  nodes.lengthNote = el("p", { id: "sms-length-note", class: "error", "aria-live": "polite", dataset: { testid: "sms-length-note" } });
  nodes.error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-compose-error" } });
  nodes.notice = el("div", { class: "notice", tabindex: "-1", role: "status", dataset: { testid: "sms-compose-notice" }, hidden: true });
  nodes.submit = el("button", { type: "submit", class: "primary", dataset: { testid: "sms-send" } }, form.editId ? st("save") : st("send"));
  nodes.origin = el("p", { class: "muted", dataset: { testid: "sms-origin" } });

  const formEl = el(
    "form",
    { class: "sms-composer", novalidate: true, "aria-labelledby": "sms-composer-heading", dataset: { testid: "sms-composer" } },
    el("h2", { id: "sms-composer-heading" }, title),
    nodes.origin,
    nodes.notice,
    el("fieldset", {}, el("legend", {}, st("recipients")), pick, nodes.chips, nodes.noRecipients, nodes.count, nodes.overLimit, nodes.recipientError),
    nodes.subscriptionField,
    el("fieldset", {},
      el("legend", {}, st("sendTime")),
      el("div", { class: "row" },
        el("span", {}, nodes.now, el("label", { for: "sms-when-now" }, st("sendNow"))),
        el("span", {}, nodes.later, el("label", { for: "sms-when-later" }, st("sendLater")))),
      nodes.when),
    el("div", { class: "field-inline" }, nodes.ownNumber, el("label", { for: "sms-own-number" }, st("fromMyNumber")), nodes.ownHint),
    nodes.sender,
    isAdmin() ? field("sms-priority", st("priority"), nodes.priority) : null,
    field("sms-subject", st("subject"), nodes.subject, el("span", { id: "sms-subject-hint", class: "muted" }, st("subjectHint"))),
    field("sms-body", st("message"), nodes.body),
    el("p", { id: "sms-counter", class: "sms-counter", dataset: { testid: "sms-counter" } },
      nodes.left, nodes.partsWrap, " \u00b7 ", nodes.encoding, el("br"), nodes.cost, " ", nodes.balance),
    nodes.lengthNote,
    nodes.error,
    el("div", { class: "row" }, nodes.submit,
      el("button", { type: "button", dataset: { testid: "sms-cancel" }, onclick: () => go(form && form.editId ? `m/${form.editId}` : "") }, st("cancel"))),
  );
  form.nodes = nodes;
  nodes.body.addEventListener("input", () => {
    renderCounter(mine);
    schedulePreview(mine);
  });
  nodes.now.addEventListener("change", renderTime);
  nodes.later.addEventListener("change", () => {
    renderTime();
    if (nodes.later.checked && !nodes.date.value) {
      // Start from tomorrow 10:00 (the seed's example), which the user then adjusts.
      const t = new Date(Date.now() + 86400000);
      t.setHours(10, 0, 0, 0);
      const v = toInputs(t.toISOString());
      nodes.date.value = v.date;
      nodes.time.value = v.time;
    }
  });
  nodes.ownNumber.addEventListener("change", renderSender);
  nodes.subscription.addEventListener("change", () => schedulePreview(mine));
  formEl.addEventListener("submit", submit);
  container.append(formEl);
  renderChips(form);
  renderTime();
  renderSender();
  renderCounter(form);
  renderRecipientSummary(form);
}

// --- preselection: from a record, a person, a colleague, a number -----------------------

async function preselect(params) {
  const mine = form;
  const n = form.nodes;
  const still = () => form === mine; // the user may have left the composer meanwhile
  try {
    if (params.get("record")) {
      const data = await smsGet(`/api/sms/records/${encodeURIComponent(params.get("record"))}/compose`);
      if (!still()) return;
      for (const item of data.recipients || []) addItem(form, item);
      form.recordIds = data.record_ids || [];
      if (data.record) n.origin.textContent = st("fromRecord", { title: data.record.title });
    }
    if (params.get("person")) addItem(form, { type: "person", id: Number(params.get("person")), name: "" });
    if (params.get("user")) addItem(form, { type: "user", id: Number(params.get("user")), name: "" });
    if (params.get("number")) addItem(form, { type: "number", number: params.get("number"), name: "" });
    await nameChips(mine);
  } catch (err) {
    if (still()) n.recipientError.textContent = smsError(err);
  }
}

async function loadForEdit(id) {
  const mine = form;
  const msg = await smsGet(`/api/sms/messages/${encodeURIComponent(id)}`);
  if (form !== mine) return;
  if (!msg.editable) throw new ApiError("not_editable", st("notEditable"), 409);
  const n = form.nodes;
  n.subject.value = msg.subject || "";
  n.body.value = msg.body || "";
  n.ownNumber.checked = msg.sender_kind === "own_number";
  n.priority.value = String(msg.priority ?? 0);
  await subscriptionsLoaded;
  if (form !== mine) return;
  n.subscription.value = msg.subscription_id ? String(msg.subscription_id) : "";
  if (msg.send_at) {
    const v = toInputs(msg.send_at);
    n.later.checked = true;
    n.date.value = v.date;
    n.time.value = v.time;
  }
  for (const item of msg.selection || []) addItem(form, { ...item, name: item.name || "" });
  nameChips(mine);
  renderTime();
  renderSender();
  renderCounter(form);
}

let subscriptionsLoaded = Promise.resolve();

/** Opt-in lists (seed 002): a message for one reaches only the people subscribed to it. */
async function loadSubscriptions() {
  const mine = form;
  let items = [];
  try {
    items = (await smsGet("/api/sms/subscriptions")).items || [];
  } catch {
    items = [];
  }
  if (form !== mine) return;
  for (const sub of items) mine.nodes.subscription.append(el("option", { value: String(sub.id) }, sub.name));
  mine.nodes.subscriptionField.hidden = items.length === 0;
}

export async function render(container, route) {
  leave();
  const editId = route.name === "edit" ? route.id : null;
  form = {
    items: [], preview: null, previewAsked: 0, previewTimer: null, recordIds: [], editId, measure: null, closed: false,
    fromQueue: route.params.get("from") === "queue",
  };
  build(container, editId ? st("editing") : st("newSms"));
  subscriptionsLoaded = loadSubscriptions();
  if (editId) {
    try {
      await loadForEdit(editId);
    } catch (err) {
      if (form) form.nodes.error.textContent = smsError(err);
    }
  } else {
    await preselect(route.params);
  }
}

export function leave() {
  if (form) {
    clearTimeout(form.previewTimer);
    form.closed = true;
  }
  form = null;
}

// The composer (SM-2..SM-8, seed 000 §3.3/3.4): recipients included or excluded, send now
// or at a date and time, from the default sender or my own number, an internal subject,
// and the text with characters left, parts and cost counted as the user types (the same
// rules as the server's sms/segments.py; the server's preview counts the recipients).
// #/sms/new?record=ID | person=ID | user=ID | number=N opens it with a recipient chosen;
// #/sms/edit/ID edits a waiting message.
import { ApiError, get } from "../../shared/api.js";
import { announce, clear, el } from "../../shared/dom.js";
import { describe, picker } from "./sms-picker.js";
import { cost, measure } from "./sms-segments.js";
import { isAdmin, smsConfig } from "./sms-state.js";
import { smsError, st } from "./sms-i18n.js";
import { go, link, localMoment, smsGet, smsPatch, smsPost, toInputs, when } from "./sms-util.js";

const PREVIEW_DEBOUNCE_MS = 350;

let form = null; // the open composer's state, null when closed

/** A selection item as the API takes it (names are only for the screen). */
function wire(item) {
  const out = { type: item.type, mode: item.mode || "include" };
  if (item.type === "number") {
    out.number = item.number;
    if (item.name) out.name = item.name;
  } else {
    out.id = item.id;
  }
  return out;
}

function sameItem(a, b) {
  return a.type === b.type && (a.type === "number" ? a.number === b.number : a.id === b.id);
}

function renderChips() {
  const list = clear(form.nodes.chips);
  form.nodes.noRecipients.hidden = form.items.length > 0;
  form.items.forEach((item, i) => {
    const text = describe(item);
    const mode = el(
      "select",
      { "aria-label": st("modeOf", { name: text }), dataset: { testid: "sms-chip-mode" } },
      el("option", { value: "include" }, st("include")),
      el("option", { value: "exclude" }, st("exclude")),
    );
    mode.value = item.mode || "include";
    mode.addEventListener("change", () => {
      item.mode = mode.value;
      chip.dataset.mode = mode.value;
      schedulePreview();
    });
    const remove = el("button", {
      type: "button",
      class: "icon-button",
      "aria-label": st("removeRecipient", { name: text }),
      dataset: { testid: "sms-chip-remove" },
      onclick: () => {
        form.items.splice(i, 1);
        renderChips();
        schedulePreview();
        form.nodes.pickerInput.focus();
      },
    }, el("span", { "aria-hidden": "true" }, "\u00d7"));
    const chip = el("li", { class: "sms-chip", dataset: { testid: "sms-chip", type: item.type, mode: mode.value } },
      el("span", { class: "sms-chip-text" }, text), mode, remove);
    list.append(chip);
  });
}

function addItem(item) {
  if (form.items.some((x) => sameItem(x, item))) return;
  form.items.push({ ...item });
  renderChips();
  schedulePreview();
}

// Countries whose national numbers start with a trunk 0 that the international form drops.
const TRUNK_ZERO = { NL: "31", BE: "32", DE: "49", FR: "33", GB: "44", AT: "43", CH: "41", SE: "46", FI: "358", IE: "353" };

/** The international form of a number the server accepted, for the chip only (the server
 *  normalises what it sends with phonenumbers; this never decides anything). */
export function international(raw, country) {
  const digits = raw.replace(/[\s().\-]/g, "");
  if (/^\+\d+$/.test(digits)) return digits;
  if (/^00\d+$/.test(digits)) return `+${digits.slice(2)}`;
  const code = TRUNK_ZERO[country];
  if (code && /^0\d+$/.test(digits)) return `+${code}${digits.slice(1)}`;
  return raw;
}

/** A typed number is checked by the server before it becomes a chip, so a landline or a typo
 *  is refused at once with the reason (the picker shows it and keeps the text). */
async function addTyped(item) {
  if (item.type !== "number") return addItem(item);
  const mine = form;
  try {
    await smsPost("/api/sms/preview", { body: "", recipients: [wire(item)] });
  } catch (err) {
    if (err.status !== 0) throw err; // refused: say why; a network error is left to the send
  }
  if (form !== mine) return undefined;
  return addItem({ ...item, name: item.name || "", number: international(item.number, smsConfig.default_country) });
}

// --- the live counter -----------------------------------------------------------------

function renderCounter() {
  const n = form.nodes;
  const m = measure(n.body.value, { allowLong: smsConfig.allow_long, maxSingle: smsConfig.max_single || 140 });
  form.measure = m;
  const left = m.remaining;
  n.left.textContent =
    left >= 0
      ? left === 1 ? st("charLeft") : st("charsLeft", { count: left })
      : left === -1 ? st("charTooMany") : st("charsTooMany", { count: -left });
  n.left.dataset.remaining = String(left);
  n.left.classList.toggle("danger", left < 0);
  n.parts.textContent = st("partsCount", { count: m.parts });
  n.parts.dataset.parts = String(m.parts);
  // A text that may not be sent as it stands has no parts or cost to speak of: "45 characters
  // too many · 2 SMS · cost 8" would read as if it were sent as two.
  const sendable = m.reason !== "too_long" && m.reason !== "too_many_parts";
  n.partsWrap.hidden = !sendable;
  n.encoding.textContent = m.encoding === "gsm7" ? st("encodingGsm") : st("encodingUcs2", { chars: m.nonGsm.join(" ") });
  n.encoding.dataset.encoding = m.encoding;
  const recipients = form.preview ? form.preview.recipients : null;
  if (recipients === null || recipients === undefined || !sendable) {
    n.cost.textContent = "";
  } else {
    n.cost.textContent = st("costLine", { credits: cost(m.parts, recipients), parts: m.parts, recipients });
  }
  n.cost.dataset.cost = recipients === null || recipients === undefined ? "" : String(cost(m.parts, recipients));
  if (m.reason === "too_long") n.lengthNote.textContent = st("longNotAllowed", { limit: m.partLimit });
  else if (m.reason === "too_many_parts") n.lengthNote.textContent = st("tooManyParts", { max: 255 });
  else n.lengthNote.textContent = "";
}

function renderRecipientSummary() {
  const n = form.nodes;
  const p = form.preview;
  const count = p && p.recipients === 1 ? st("recipientOne") : st("recipientsCount", { count: p ? p.recipients : 0 });
  n.count.textContent = p && form.items.length ? count : "";
  const over = Boolean(p && p.needs_approval);
  n.overLimit.hidden = !over;
  n.overLimit.textContent = over ? st("overLimit", { count: p.recipients, limit: p.limit }) : "";
  if (p && typeof p.balance === "number") n.balance.textContent = st("balanceLine", { balance: p.balance });
}

function schedulePreview() {
  clearTimeout(form.previewTimer);
  form.previewTimer = setTimeout(runPreview, PREVIEW_DEBOUNCE_MS);
}

async function runPreview() {
  const mine = form;
  if (!mine) return;
  const asked = ++mine.previewAsked;
  const body = { body: mine.nodes.body.value };
  if (mine.items.length) body.recipients = mine.items.map(wire);
  if (mine.nodes.subscription.value) body.subscription_id = Number(mine.nodes.subscription.value);
  let data;
  try {
    data = await smsPost("/api/sms/preview", body);
  } catch (err) {
    if (form !== mine || asked !== mine.previewAsked) return;
    mine.preview = null;
    mine.nodes.recipientError.textContent = err.status === 0 ? "" : smsError(err);
    renderRecipientSummary();
    renderCounter();
    return;
  }
  if (form !== mine || asked !== mine.previewAsked) return; // the user changed something since
  mine.preview = mine.items.length ? data : null;
  mine.nodes.recipientError.textContent = "";
  renderRecipientSummary();
  renderCounter();
}

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
    renderChips();
    renderRecipientSummary();
    renderCounter();
  }
  box.focus();
}

// --- building the form ------------------------------------------------------------------

function field(id, label, control, ...after) {
  return el("div", { class: "field" }, el("label", { for: id }, label), control, ...after);
}

function build(container, title) {
  const nodes = {};
  nodes.chips = el("ul", { class: "plain sms-chips", "aria-label": st("recipients"), dataset: { testid: "sms-chips" } });
  nodes.noRecipients = el("p", { class: "muted" }, st("noRecipientsYet"));
  nodes.count = el("p", { class: "muted", role: "status", dataset: { testid: "sms-recipient-count" } });
  nodes.overLimit = el("p", { class: "notice", role: "status", dataset: { testid: "sms-over-limit" }, hidden: true });
  nodes.recipientError = el("p", { class: "error", role: "alert", dataset: { testid: "sms-recipient-error" } });
  const pick = picker({ onAdd: addTyped, testid: "sms-picker" });
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
    renderCounter();
    schedulePreview();
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
  nodes.subscription.addEventListener("change", schedulePreview);
  formEl.addEventListener("submit", submit);
  container.append(formEl);
  renderChips();
  renderTime();
  renderSender();
  renderCounter();
  renderRecipientSummary();
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
      for (const item of data.recipients || []) addItem(item);
      form.recordIds = data.record_ids || [];
      if (data.record) n.origin.textContent = st("fromRecord", { title: data.record.title });
    }
    if (params.get("person")) addItem({ type: "person", id: Number(params.get("person")), name: "" });
    if (params.get("user")) addItem({ type: "user", id: Number(params.get("user")), name: "" });
    if (params.get("number")) addItem({ type: "number", number: params.get("number"), name: "" });
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
  for (const item of msg.selection || []) addItem({ ...item, name: item.name || "" });
  nameChips(mine);
  renderTime();
  renderSender();
  renderCounter();
}

// A stored selection names its items by id only: look their names up for the chips.
const NAME_PATHS = {
  person: (id) => `/api/people/${id}`,
  organisation: (id) => `/api/organisations/${id}`,
  folder: (id) => `/api/folders/${id}`,
  group: (id) => `/api/groups/${id}`,
  sms_group: (id) => `/api/sms/groups/${id}`,
  dynamic_group: (id) => `/api/sms/dynamic-groups/${id}`,
};

async function nameChips(mine) {
  if (form !== mine) return;
  const lookups = mine.items.filter((item) => !item.name).map(async (item) => {
    try {
      if (item.type === "user") {
        const users = (await get("/api/users")).users || [];
        const u = users.find((x) => x.id === item.id);
        item.name = u ? u.name : "";
      } else if (NAME_PATHS[item.type]) {
        const data = await get(NAME_PATHS[item.type](item.id));
        item.name = data.name || data.title || "";
      }
    } catch {
      /* the chip keeps its id */
    }
  });
  await Promise.all(lookups);
  if (form === mine) renderChips();
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
    items: [], preview: null, previewAsked: 0, previewTimer: null, recordIds: [], editId, measure: null,
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
  if (form) clearTimeout(form.previewTimer);
  form = null;
}

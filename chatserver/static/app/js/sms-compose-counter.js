// @ts-check
// The composer's live counter and the server's preview: characters left, parts, encoding
// and cost as the user types (the same rules as the server's sms/segments.py), and the
// recipients counted by the server (POST /api/sms/preview), asked a moment after the last
// change.
import { ApiError } from "../../shared/api.js";
import { cost, measure } from "./sms-segments.js";
import { smsConfig } from "./sms-state.js";
import { smsError, st } from "./sms-i18n.js";
import { smsPost } from "./sms-util.js";

/** @typedef {import("./sms-picker.js").SmsItem} SmsItem */
/**
 * The server's preview of a message (POST /api/sms/preview).
 * @typedef {{recipients: number, needs_approval?: boolean, limit?: number, balance?: number}} Preview
 */
/**
 * The composer's elements (sms-composer.js builds them).
 * @typedef {object} ComposeNodes
 * @property {HTMLUListElement} chips
 * @property {HTMLParagraphElement} noRecipients
 * @property {HTMLParagraphElement} count
 * @property {HTMLParagraphElement} overLimit
 * @property {HTMLParagraphElement} recipientError
 * @property {HTMLInputElement} pickerInput
 * @property {HTMLInputElement} now
 * @property {HTMLInputElement} later
 * @property {HTMLInputElement} date
 * @property {HTMLInputElement} time
 * @property {HTMLDivElement} when
 * @property {HTMLInputElement} ownNumber
 * @property {HTMLSpanElement} ownHint
 * @property {HTMLParagraphElement} sender
 * @property {HTMLSelectElement} subscription
 * @property {HTMLDivElement} subscriptionField
 * @property {HTMLInputElement} priority
 * @property {HTMLInputElement} subject
 * @property {HTMLTextAreaElement} body
 * @property {HTMLSpanElement} left
 * @property {HTMLSpanElement} parts
 * @property {HTMLSpanElement} encoding
 * @property {HTMLSpanElement} cost
 * @property {HTMLSpanElement} partsWrap
 * @property {HTMLSpanElement} balance
 * @property {HTMLParagraphElement} lengthNote
 * @property {HTMLParagraphElement} error
 * @property {HTMLDivElement} notice
 * @property {HTMLButtonElement} submit
 * @property {HTMLParagraphElement} origin
 */
/**
 * The open composer's state.
 * @typedef {object} ComposeForm
 * @property {SmsItem[]} items the recipients
 * @property {Preview | null} preview
 * @property {number} previewAsked
 * @property {ReturnType<typeof setTimeout> | undefined} previewTimer
 * @property {number[]} recordIds the records a message from a record is about
 * @property {string | null} editId the waiting message being edited
 * @property {import("./sms-segments.js").Measure | null} measure the text's, as last counted
 * @property {boolean} closed the user left it: late answers are dropped
 * @property {boolean} fromQueue opened from the approval queue
 * @property {ComposeNodes} nodes
 */

const PREVIEW_DEBOUNCE_MS = 350;

/**
 * A selection item as the API takes it (names are only for the screen).
 * @param {SmsItem} item
 */
export function wire(item) {
  /** @type {{type: string, mode: string, number?: string, name?: string, id?: number}} */
  const out = { type: item.type, mode: item.mode || "include" };
  if (item.type === "number") {
    out.number = item.number;
    if (item.name) out.name = item.name;
  } else {
    out.id = item.id;
  }
  return out;
}

/** @param {ComposeForm} form */
export function renderCounter(form) {
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

/** @param {ComposeForm} form */
export function renderRecipientSummary(form) {
  const n = form.nodes;
  const p = form.preview;
  const count = p && p.recipients === 1 ? st("recipientOne") : st("recipientsCount", { count: p ? p.recipients : 0 });
  n.count.textContent = p && form.items.length ? count : "";
  const over = Boolean(p && p.needs_approval);
  n.overLimit.hidden = !over;
  n.overLimit.textContent = p && over ? st("overLimit", { count: p.recipients, limit: p.limit }) : "";
  if (p && typeof p.balance === "number") n.balance.textContent = st("balanceLine", { balance: p.balance });
}

/** @param {ComposeForm} form */
export function schedulePreview(form) {
  clearTimeout(form.previewTimer);
  form.previewTimer = setTimeout(() => runPreview(form), PREVIEW_DEBOUNCE_MS);
}

/** @param {ComposeForm} mine */
async function runPreview(mine) {
  if (mine.closed) return;
  const asked = ++mine.previewAsked;
  /** @type {{body: string, recipients?: ReturnType<typeof wire>[], subscription_id?: number}} */
  const body = { body: mine.nodes.body.value };
  if (mine.items.length) body.recipients = mine.items.map(wire);
  if (mine.nodes.subscription.value) body.subscription_id = Number(mine.nodes.subscription.value);
  let data;
  try {
    data = await smsPost("/api/sms/preview", body);
  } catch (err) {
    if (mine.closed || asked !== mine.previewAsked) return;
    mine.preview = null;
    mine.nodes.recipientError.textContent = err instanceof ApiError && err.status === 0 ? "" : smsError(err);
    renderRecipientSummary(mine);
    renderCounter(mine);
    return;
  }
  if (mine.closed || asked !== mine.previewAsked) return; // the user changed something since
  mine.preview = mine.items.length ? data : null;
  mine.nodes.recipientError.textContent = "";
  renderRecipientSummary(mine);
  renderCounter(mine);
}

// @ts-check
// Credits (SM-17, seed 002): the organisation's balance for every SMS user, the ledger
// for SMS-admins and key-users (the server sends it only to them), and a top-up form for
// key-users only; the server refuses anyone else's top-up (403 not_key_user) as well.
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import { isAdmin, isKeyUser, smsConfig } from "./sms-state.js";
import { link, smsGet, smsPost, when } from "./sms-util.js";

/**
 * A line of the ledger.
 * @typedef {{id: number, at: string, delta: number, reason: string, message_id?: number | null, note?: string, balance_after: number}} LedgerEntry
 */
/**
 * The top-up form's elements (key-users only).
 * @typedef {{amount: HTMLInputElement, note: HTMLInputElement, topUpError: HTMLParagraphElement, topUpStatus: HTMLParagraphElement}} TopUpNodes
 */
/**
 * The open credits screen.
 * @typedef {{nodes: {balance: HTMLElement, error: HTMLParagraphElement, table: HTMLTableElement, empty: HTMLParagraphElement}}} CreditsView
 */

/** @type {CreditsView | null} */
let view = null;

const signed = (/** @type {number} */ n) => (n > 0 ? `+${n}` : String(n));

/** @param {LedgerEntry} entry */
function reason(entry) {
  if (entry.reason === "message" && entry.message_id) {
    return link(`m/${entry.message_id}`, st("reason_message", { id: entry.message_id }), { dataset: { testid: "sms-ledger-message" } });
  }
  return st(`reason_${entry.reason}`);
}

/**
 * @param {CreditsView} view
 * @param {LedgerEntry[]} entries
 */
function renderLedger(view, entries) {
  const n = view.nodes;
  const table = clear(n.table);
  n.table.hidden = entries.length === 0;
  // Users who are neither admin nor key-user get no entries: say why the ledger is empty.
  n.empty.textContent = isAdmin() || isKeyUser() ? st("ledgerEmpty") : st("ledgerHidden");
  n.empty.hidden = entries.length > 0;
  const heads = [st("ledgerDate"), st("ledgerDelta"), st("ledgerReason"), st("note"), st("ledgerBalance")];
  table.append(
    el("caption", { class: "sr-only" }, st("ledger")),
    el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, entries.map((e) => el("tr", { dataset: { testid: "sms-ledger-entry", id: String(e.id), reason: e.reason } },
      el("th", { scope: "row" }, when(e.at)),
      el("td", { class: e.delta < 0 ? "sms-delta-minus" : "sms-delta-plus", dataset: { testid: "sms-ledger-delta" } }, signed(e.delta)),
      el("td", { dataset: { testid: "sms-ledger-reason" } }, reason(e)),
      el("td", {}, e.note || ""),
      el("td", {}, String(e.balance_after))))),
  );
}

/**
 * @param {CreditsView} view
 * @param {number} balance
 */
function showBalance(view, balance) {
  smsConfig.balance = balance;
  view.nodes.balance.textContent = st("creditsUnit", { count: balance });
  view.nodes.balance.classList.toggle("sms-delta-minus", balance < 0);
}

/** @param {CreditsView} mine */
async function load(mine) {
  let data;
  try {
    data = await smsGet("/api/sms/credits?limit=100");
  } catch (err) {
    if (view === mine) mine.nodes.error.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  showBalance(mine, data.balance);
  renderLedger(mine, data.entries || []);
}

/**
 * @param {CreditsView} mine
 * @param {TopUpNodes} n
 * @param {SubmitEvent} ev
 */
async function topUp(mine, n, ev) {
  ev.preventDefault();
  n.topUpError.textContent = "";
  n.topUpStatus.textContent = "";
  const raw = n.amount.value.trim();
  // A whole number goes as a number; anything else as typed, so the server says what is wrong.
  const amount = /^\d+$/.test(raw) ? Number(raw) : raw;
  let data;
  try {
    data = await smsPost("/api/sms/credits", { amount, note: n.note.value.trim() });
  } catch (err) {
    if (view === mine) n.topUpError.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  n.amount.value = "";
  n.note.value = "";
  const text = st("toppedUp", { amount: data.entry.delta, balance: data.balance });
  n.topUpStatus.textContent = text;
  announce(text);
  await load(mine);
}

/** @param {CreditsView} mine */
function topUpForm(mine) {
  /** @type {TopUpNodes} */
  const n = {
    amount: el("input", { type: "number", id: "sms-topup-amount", min: "1", step: "1", inputmode: "numeric", dataset: { testid: "sms-topup-amount" } }),
    note: el("input", { type: "text", id: "sms-topup-note", maxlength: "300", "aria-describedby": "sms-topup-note-hint", dataset: { testid: "sms-topup-note" } }),
    topUpError: el("p", { class: "error", role: "alert", dataset: { testid: "sms-topup-error" } }),
    topUpStatus: el("p", { class: "muted", role: "status", dataset: { testid: "sms-topup-status" } }),
  };
  const form = el("form", { novalidate: true, "aria-labelledby": "sms-topup-heading", dataset: { testid: "sms-topup" } },
    el("h3", { id: "sms-topup-heading" }, st("topUp")),
    el("div", { class: "row" },
      el("span", { class: "field" }, el("label", { for: n.amount.id }, st("amount")), n.amount),
      el("span", { class: "field" }, el("label", { for: n.note.id }, st("note")), n.note),
      el("button", { type: "submit", class: "primary", dataset: { testid: "sms-topup-submit" } }, st("topUpButton"))),
    el("p", { id: "sms-topup-note-hint", class: "muted" }, st("noteHint")),
    n.topUpError, n.topUpStatus);
  form.addEventListener("submit", (ev) => topUp(mine, n, ev));
  return form;
}

/** @param {HTMLElement} container */
export async function render(container) {
  leave();
  const n = {
    balance: el("strong", { class: "sms-balance", dataset: { testid: "sms-credits-balance" } }),
    error: el("p", { class: "error", role: "alert", dataset: { testid: "sms-credits-error" } }),
    table: el("table", { class: "sms-table", dataset: { testid: "sms-ledger" }, hidden: true }),
    empty: el("p", { class: "muted", dataset: { testid: "sms-ledger-empty" }, hidden: true }),
  };
  /** @type {CreditsView} */
  const mine = { nodes: n };
  view = mine;
  container.append(
    el("h2", {}, st("creditsTitle")),
    n.error,
    el("p", {}, `${st("balanceNow")}: `, n.balance),
    el("p", { class: "muted" }, st("creditsHint")),
    // append() writes null as the text "null": the form goes in only for key-users.
    ...(isKeyUser() ? [topUpForm(mine)] : []),
    el("h3", {}, st("ledger")), n.table, n.empty,
  );
  await load(mine);
}

export function leave() {
  view = null;
}

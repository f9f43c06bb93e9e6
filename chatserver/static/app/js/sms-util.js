// @ts-check
// Small helpers the SMS screens share: REST shortcuts, dates that are never shown invalid,
// status labels, a confirmation dialog and the hash routes.
import { api } from "../../shared/api.js";
import { el } from "../../shared/dom.js";
import { dateLocale } from "./chat-dates.js";
import { st } from "./sms-i18n.js";

/** @param {string} path */
export const smsGet = (path) => api("GET", path);
/** @param {string} path @param {unknown} [body] */
export const smsPost = (path, body) => api("POST", path, body ?? {});
/** @param {string} path @param {unknown} body */
export const smsPatch = (path, body) => api("PATCH", path, body);
/** @param {string} path */
export const smsDelete = (path) => api("DELETE", path);

/**
 * A server date (ISO with Z) as local text; null, empty or unparsable dates become "—" (SM-12).
 * @param {string | null | undefined} iso
 * @param {{empty?: string}} [options]
 */
export function when(iso, { empty = "\u2014" } = {}) {
  if (!iso) return empty;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return empty;
  return new Intl.DateTimeFormat(dateLocale(), {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(d);
}

/** The instant (ISO, UTC) at which a date field's day ("2026-12-07"), plus ``days``, starts
 *  in the viewer's time zone; an unparsable value is passed on for the server to refuse.
 * @param {string} value
 * @param {number} [days]
 */
export function localMidnight(value, days = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString();
}

/** Statuses in which a message has yet to go: only these have a send date to come. */
export const WAITING = new Set(["awaiting_approval", "scheduled"]);

/**
 * The planned send date; "as soon as possible" only while the message still waits.
 * @param {{send_at?: string | null, status: string}} msg
 */
export function sendDate(msg) {
  if (msg.send_at) return when(msg.send_at);
  return WAITING.has(msg.status) ? st("asap") : "\u2014";
}

/** @param {string} status */
export function statusLabel(status) {
  return st(`st_${status}`);
}

/** @param {string} state */
export function stateLabel(state) {
  return st(`rs_${state}`);
}

/**
 * A status as a small labelled badge; data-status is the stable hook for tests and CSS.
 * @param {string} status
 * @param {string} [testid]
 */
export function statusBadge(status, testid) {
  return el("span", { class: `sms-status sms-status-${status}`, dataset: { status, testid } }, statusLabel(status));
}

/**
 * "yes"/"no" with a mark; the mark is decoration, the word is what is read.
 * @param {unknown} value
 */
export function yesNo(value) {
  return el(
    "span",
    { class: value ? "sms-yes" : "sms-no", dataset: { value: String(Boolean(value)) } },
    el("span", { "aria-hidden": "true" }, value ? "\u2713 " : "\u2717 "),
    value ? st("yes") : st("no"),
  );
}

/**
 * A local date ("2026-11-24") and time ("10:00") from the inputs, as an ISO instant with
 * zone. Returns {iso} or {error}: missing, impossible (31 February) or past moments are
 * refused here so the server is never asked to store them.
 * @param {string} dateValue
 * @param {string} timeValue
 * @param {Date} [now]
 * @returns {{iso: string, error?: undefined} | {error: string, iso?: undefined}}
 */
export function localMoment(dateValue, timeValue, now = new Date()) {
  if (!dateValue || !timeValue) return { error: st("pickDateTime") };
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateValue);
  const tm = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(timeValue);
  if (!dm || !tm) return { error: st("invalidDateTime") };
  const [y, mo, d] = [Number(dm[1]), Number(dm[2]), Number(dm[3])];
  const [h, mi] = [Number(tm[1]), Number(tm[2])];
  const moment = new Date(y, mo - 1, d, h, mi, 0, 0);
  // new Date rolls 31 February over to March: such a date does not exist.
  if (
    Number.isNaN(moment.getTime()) || moment.getFullYear() !== y || moment.getMonth() !== mo - 1 ||
    moment.getDate() !== d || h > 23 || mi > 59
  ) {
    return { error: st("invalidDateTime") };
  }
  if (moment.getTime() <= now.getTime()) return { error: st("dateInPast") };
  // The server keeps no schedule more than two years ahead (a typo in the year, mostly).
  const horizon = new Date(now.getTime());
  horizon.setFullYear(horizon.getFullYear() + 2);
  if (moment.getTime() > horizon.getTime()) return { error: st("dateTooFar") };
  return { iso: moment.toISOString() };
}

/**
 * The local date and time inputs' values for a server instant (editing a scheduled message).
 * @param {string} iso
 */
export function toInputs(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return { date: "", time: "" };
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

/**
 * Ask yes/no in a modal <dialog> (focus stays inside, Escape answers no).
 * @param {string} question
 * @returns {Promise<boolean>}
 */
export function confirmDialog(question) {
  return new Promise((resolve) => {
    const yes = el("button", { type: "button", class: "primary", dataset: { testid: "confirm-yes" } }, st("confirmYes"));
    const no = el("button", { type: "button", dataset: { testid: "confirm-no" } }, st("confirmNo"));
    const text = el("p", { id: "sms-confirm-text" }, question);
    const dialog = el(
      "dialog",
      { class: "sms-confirm", "aria-labelledby": "sms-confirm-text", dataset: { testid: "confirm-dialog" } },
      text,
      el("div", { class: "row" }, yes, no),
    );
    const done = (/** @type {boolean} */ answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener("click", () => done(true));
    no.addEventListener("click", () => done(false));
    dialog.addEventListener("cancel", (ev) => {
      ev.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/**
 * Go to an SMS route (#/sms/...).
 * @param {string} route
 */
export function go(route) {
  const target = `#/sms${route ? `/${route}` : ""}`;
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = target;
}

/**
 * A link to an SMS route, so every screen can be opened by keyboard, new tab or bookmark.
 * @param {string} route
 * @param {import("../../shared/dom.js").Children} text
 * @param {Record<string, unknown>} [attrs]
 */
export function link(route, text, attrs = {}) {
  return el("a", { href: `#/sms${route ? `/${route}` : ""}`, ...attrs }, text);
}

// @ts-check
// Times and days of messages in the user's language: "14:05"; "Today", "Yesterday", a date.
// Every date the app shows is in the viewer's own time zone (the browser's), and its days
// ("Today", a separator, a date filter) are that zone's calendar days.
import { lang, t } from "./i18n.js";

/** The locale dates are written in: the browser's own variant of the app's language when it
 *  has one (en-US writes 3:02 PM, en-GB 15:02), else the language's usual one. The chat, the
 *  SMS screens and the records all write dates this way, so one screen never differs. */
export function dateLocale() {
  const l = lang();
  const own = (navigator.languages || [navigator.language]).find((x) => x && x.toLowerCase().startsWith(l));
  return own || (l === "nl" ? "nl-NL" : "en-GB");
}

/** Hours as the locale writes them: "09:05" on a 24-hour clock, "9:05 AM" on a 12-hour one. */
/**
 * @param {string} locale
 * @returns {Intl.DateTimeFormatOptions}
 */
function clockOptions(locale) {
  const cycle = new Intl.DateTimeFormat(locale, { hour: "numeric" }).resolvedOptions().hourCycle;
  return { hour: cycle === "h11" || cycle === "h12" ? "numeric" : "2-digit", minute: "2-digit" };
}

/** @param {string | null | undefined} iso */
function valid(iso) {
  const d = iso ? new Date(iso) : new Date();
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The local calendar day of a moment, as a key ("2026-12-06"); a message without one is of today. */
/** @param {string | null} [iso] */
export function dayKey(iso) {
  const d = valid(iso) || new Date();
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** @param {Date} d */
function daysAgo(d) {
  const start = (/** @type {Date} */ x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  return Math.round((start(new Date()) - start(d)) / 86_400_000);
}

/** @param {string | null | undefined} iso */
export function timeText(iso) {
  const d = valid(iso);
  const locale = dateLocale();
  return iso && d ? d.toLocaleTimeString(locale, clockOptions(locale)) : "";
}

/** A day separator's text: Today, Yesterday, or the date (with the year when not this one). */
/** @param {string | null | undefined} iso */
export function dayLabel(iso) {
  const d = valid(iso) || new Date();
  const ago = daysAgo(d);
  if (ago === 0) return t("today");
  if (ago === 1) return t("yesterday");
  /** @type {Intl.DateTimeFormatOptions} */
  const opts = { weekday: "long", day: "numeric", month: "long" };
  if (d.getFullYear() !== new Date().getFullYear()) opts.year = "numeric";
  return d.toLocaleDateString(dateLocale(), opts);
}

/** The time in the conversation list: the hour today, "Yesterday", else a short date. */
/** @param {string | null | undefined} iso */
export function listTime(iso) {
  const d = valid(iso);
  if (!iso || !d) return "";
  const ago = daysAgo(d);
  if (ago === 0) return timeText(iso);
  if (ago === 1) return t("yesterday");
  return d.toLocaleDateString(dateLocale(), { day: "numeric", month: "short" });
}

/** Call ``fn`` when the viewer's calendar day changes (their midnight, or a laptop woken the
 *  next morning), so "Today" and a list's hours become "Yesterday" as in Teams and Slack
 *  instead of staying as they were drawn. Checked each minute: a timer set for midnight
 *  would be late after a sleep, and the zone's midnight moves with daylight saving. */
/** @param {() => void} fn */
export function everyNewDay(fn) {
  let today = dayKey();
  return setInterval(() => {
    const now = dayKey();
    if (now === today) return;
    today = now;
    fn();
  }, 60_000);
}

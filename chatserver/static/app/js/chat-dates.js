// Times and days of messages in the user's language: "14:05"; "Today", "Yesterday", a date.
import { lang, t } from "./i18n.js";

function valid(iso) {
  const d = iso ? new Date(iso) : new Date();
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The local calendar day of a moment, as a key ("2026-12-06"); a message without one is of today. */
export function dayKey(iso) {
  const d = valid(iso) || new Date();
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function daysAgo(d) {
  const start = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  return Math.round((start(new Date()) - start(d)) / 86_400_000);
}

export function timeText(iso) {
  const d = valid(iso);
  return iso && d ? d.toLocaleTimeString(lang(), { hour: "2-digit", minute: "2-digit" }) : "";
}

/** A day separator's text: Today, Yesterday, or the date (with the year when not this one). */
export function dayLabel(iso) {
  const d = valid(iso) || new Date();
  const ago = daysAgo(d);
  if (ago === 0) return t("today");
  if (ago === 1) return t("yesterday");
  const opts = { weekday: "long", day: "numeric", month: "long" };
  if (d.getFullYear() !== new Date().getFullYear()) opts.year = "numeric";
  return d.toLocaleDateString(lang(), opts);
}

/** The time in the conversation list: the hour today, "Yesterday", else a short date. */
export function listTime(iso) {
  const d = valid(iso);
  if (!iso || !d) return "";
  const ago = daysAgo(d);
  if (ago === 0) return timeText(iso);
  if (ago === 1) return t("yesterday");
  return d.toLocaleDateString(lang(), { day: "numeric", month: "short" });
}

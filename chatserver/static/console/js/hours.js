// @ts-check
// A site's business hours on the Sites screen (key-users): time zone, open-close ranges per
// weekday, holidays and the away text in Dutch and English. Outside the hours the widget
// shows the away text and the offline form (docs/livechat.md). Empty weekdays: closed;
// nothing filled in at all: always open.
import { put } from "../../shared/api.js";
import { el, toast } from "../../shared/dom.js";
import { settingError } from "./site-errors.js";
import { extend, lang, t } from "./i18n.js";

extend({
  en: {
    hoursHeading: "Business hours",
    hoursZone: "Time zone",
    hoursHint: "Per day: ranges such as 09:00-12:00, 13:00-17:30; empty is closed. No zone: always open.",
    hoursHolidays: "Holidays (closed all day)",
    hoursAwayNl: "Away message (Dutch)",
    hoursAwayEn: "Away message (English)",
    hoursSave: "Save hours",
    hoursSaved: "Business hours saved.",
  },
  nl: {
    hoursHeading: "Openingstijden",
    hoursZone: "Tijdzone",
    hoursHint: "Per dag: tijden zoals 09:00-12:00, 13:00-17:30; leeg is gesloten. Geen tijdzone: altijd open.",
    hoursHolidays: "Feestdagen (hele dag dicht)",
    hoursAwayNl: "Afwezigheidsbericht (Nederlands)",
    hoursAwayEn: "Afwezigheidsbericht (Engels)",
    hoursSave: "Openingstijden opslaan",
    hoursSaved: "Openingstijden opgeslagen.",
  },
});

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/** The weekday's name in the console's language (1 January 2024 was a Monday). */
const dayName = (/** @type {number} */ i) => {
  const name = new Date(Date.UTC(2024, 0, 1 + i)).toLocaleDateString(lang(), { weekday: "long", timeZone: "UTC" });
  return name.charAt(0).toUpperCase() + name.slice(1);
};

/** "09:00-12:00, 13:00-17:30" to [["09:00","12:00"],["13:00","17:30"]]; the server checks them. */
const ranges = (/** @type {string} */ text) => text.split(/[,;\n]/).map((r) => r.trim()).filter(Boolean).map((r) => r.split(/\s*[-–]\s*/));

/**
 * The form for one site; ``onSaved`` reloads the list.
 * @param {import("./state.js").Site} site
 * @param {() => Promise<void>} onSaved
 */
export function hoursForm(site, onSaved) {
  /** @type {import("./state.js").Hours} */
  const h = site.hours || {};
  const id = (/** @type {string} */ k) => `hours-${site.id}-${k}`;
  /**
   * @param {string} k
   * @param {string} label
   * @param {HTMLElement} node
   */
  const field = (k, label, node) => [el("label", { for: id(k) }, label), node];
  /**
   * @param {string} k
   * @param {string | undefined} value
   * @param {"input" | "textarea"} [tag]
   */
  const input = (k, value, tag = "input") => {
    const n = el(tag, { id: id(k), dataset: { testid: id(k) }, ...(tag === "textarea" ? { rows: 2 } : {}) });
    n.value = value || "";
    return n;
  };
  const zone = input("zone", h.zone);
  zone.placeholder = Intl.DateTimeFormat().resolvedOptions().timeZone || "Europe/Amsterdam";
  const days = Object.fromEntries(DAYS.map((d) => [d, input(d, ((h.weekly || {})[d] || []).map((r) => r.join("-")).join(", "))]));
  const holidays = input("holidays", (h.holidays || []).join("\n"), "textarea");
  holidays.placeholder = "2026-12-25 2026-12-26";
  const awayNl = input("away-nl", (h.away || {}).nl, "textarea");
  const awayEn = input("away-en", (h.away || {}).en, "textarea");
  const error = el("p", { class: "error", role: "alert", dataset: { testid: id("error") } });
  const form = el(
    "form",
    { class: "hours", dataset: { testid: id("form") } },
    el("h3", {}, t("hoursHeading")),
    el("p", { class: "muted" }, t("hoursHint")),
    ...field("zone", t("hoursZone"), zone),
    ...DAYS.flatMap((d, i) => field(d, dayName(i), days[d])),
    ...field("holidays", t("hoursHolidays"), holidays),
    ...field("away-nl", t("hoursAwayNl"), awayNl),
    ...field("away-en", t("hoursAwayEn"), awayEn),
    error,
    el("button", { type: "submit", class: "primary", dataset: { testid: id("save") } }, t("hoursSave")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    /** @type {Record<string, string[][]>} */
    const weekly = {};
    for (const d of DAYS) if (days[d].value.trim()) weekly[d] = ranges(days[d].value);
    const hours = zone.value.trim() ? {
      zone: zone.value.trim(), weekly, holidays: holidays.value.split(/[\s,]+/).filter(Boolean),
      away: { nl: awayNl.value.trim(), en: awayEn.value.trim() },
    } : {};
    try {
      await put(`/api/livechat/sites/${site.id}`, { name: site.name, origins: site.origins, greeting: site.greeting, hours });
      toast(t("hoursSaved"));
      await onSaved();
    } catch (err) {
      error.textContent = settingError(err); // beside the form, in the console's language
    }
  });
  return form;
}

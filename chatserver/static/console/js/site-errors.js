// @ts-check
// A site setting the server refused, said in the console's language: the hours' and the
// pre-chat form's and proactive rules' 400s name a field such as hours.weekly.tue[0] or
// proactive[1].seconds; the day and the indices are dropped to find the text, and a rule's
// number (from 1) is given to it. Unknown refusals fall back to the shared error mapper.
import { errorText, extend } from "./i18n.js";

const HOURS_EN = "Opening times: per day at most 4 ranges such as 09:00-12:00, 13:00-17:30, closing after opening and not overlapping.";
const HOURS_NL = "Openingstijden: per dag hoogstens 4 tijden zoals 09:00-12:00, 13:00-17:30, sluiten na openen en niet overlappend.";
const SECONDS_EN = "Proactive message {rule}: the seconds are a whole number from 1 to 600.";
const SECONDS_NL = "Proactief bericht {rule}: de seconden zijn een heel getal van 1 tot 600.";
const URL_EN = "Proactive message {rule}: the page is a path such as /vacatures/* (* matches any text; no spaces, at most 200 characters).";
const URL_NL = "Proactief bericht {rule}: de pagina is een pad zoals /vacatures/* (* past op elke tekst; geen spaties, hoogstens 200 tekens).";
const TEXT_EN = "Proactive message {rule}: give a Dutch or English text of at most 500 characters.";
const TEXT_NL = "Proactief bericht {rule}: geef een Nederlandse of Engelse tekst van hoogstens 500 tekens.";

extend({
  en: {
    "err_invalid_value_hours.zone": "Time zone: give a zone such as Europe/Amsterdam.",
    "err_too_long_hours.zone": "Time zone: give a zone such as Europe/Amsterdam.",
    "err_invalid_value_hours.weekly": HOURS_EN,
    "err_too_long_hours.weekly": HOURS_EN,
    "err_wrong_type_hours.weekly": HOURS_EN,
    "err_invalid_value_hours.holidays": "Holidays: dates such as 2026-12-25, at most 200.",
    "err_too_long_hours.holidays": "Holidays: dates such as 2026-12-25, at most 200.",
    "err_too_long_hours.away.nl": "Away message (Dutch): at most 500 characters.",
    "err_too_long_hours.away.en": "Away message (English): at most 500 characters.",
    "err_out_of_range_proactive.seconds": SECONDS_EN,
    "err_missing_field_proactive.seconds": SECONDS_EN,
    "err_wrong_type_proactive.seconds": SECONDS_EN,
    "err_invalid_value_proactive.seconds": SECONDS_EN,
    "err_invalid_value_proactive.url": URL_EN,
    "err_missing_field_proactive.url": URL_EN,
    "err_too_long_proactive.url": URL_EN,
    "err_invalid_value_proactive.message": TEXT_EN,
    "err_too_long_proactive.message.nl": TEXT_EN,
    "err_too_long_proactive.message.en": TEXT_EN,
    err_too_long_proactive: "Proactive messages: at most 10 rules.",
  },
  nl: {
    "err_invalid_value_hours.zone": "Tijdzone: geef een tijdzone zoals Europe/Amsterdam.",
    "err_too_long_hours.zone": "Tijdzone: geef een tijdzone zoals Europe/Amsterdam.",
    "err_invalid_value_hours.weekly": HOURS_NL,
    "err_too_long_hours.weekly": HOURS_NL,
    "err_wrong_type_hours.weekly": HOURS_NL,
    "err_invalid_value_hours.holidays": "Feestdagen: datums zoals 2026-12-25, hoogstens 200.",
    "err_too_long_hours.holidays": "Feestdagen: datums zoals 2026-12-25, hoogstens 200.",
    "err_too_long_hours.away.nl": "Afwezigheidsbericht (Nederlands): hoogstens 500 tekens.",
    "err_too_long_hours.away.en": "Afwezigheidsbericht (Engels): hoogstens 500 tekens.",
    "err_out_of_range_proactive.seconds": SECONDS_NL,
    "err_missing_field_proactive.seconds": SECONDS_NL,
    "err_wrong_type_proactive.seconds": SECONDS_NL,
    "err_invalid_value_proactive.seconds": SECONDS_NL,
    "err_invalid_value_proactive.url": URL_NL,
    "err_missing_field_proactive.url": URL_NL,
    "err_too_long_proactive.url": URL_NL,
    "err_invalid_value_proactive.message": TEXT_NL,
    "err_too_long_proactive.message.nl": TEXT_NL,
    "err_too_long_proactive.message.en": TEXT_NL,
    err_too_long_proactive: "Proactieve berichten: hoogstens 10 regels.",
  },
});

/**
 * The refusal ``err`` of a site's hours, pre-chat form or proactive rules, as a sentence.
 * @param {unknown} caught what the save's catch caught (an ApiError)
 */
export function settingError(caught) {
  const err = /** @type {import("../../shared/i18n.js").ServerError} */ (caught && typeof caught === "object" ? caught : {});
  const details = (err && err.details) || {};
  const field = String(details.field || "");
  const rule = field.match(/^proactive\[(\d+)\]/);
  const plain = field.replace(/^hours\.weekly\.\w+/, "hours.weekly").replace(/\[\d+\]/g, "");
  const { code, status, message } = err || {};
  return errorText({ code, status, message, details: { ...details, field: plain, ...(rule ? { rule: Number(rule[1]) + 1 } : {}) } });
}

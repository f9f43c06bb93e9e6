// @ts-check
// A site's pre-chat form and proactive messages on the Sites screen (key-users): which of
// name, e-mail and phone the widget asks before the first question, and rules that open the
// widget with a message after some seconds on matching pages (docs/livechat.md). The server
// checks both; its 400 names the field and is shown as is.
import { put } from "../../shared/api.js";
import { el, toast } from "../../shared/dom.js";
import { settingError } from "./site-errors.js";
import { extend, t } from "./i18n.js";

extend({
  en: {
    preHeading: "Pre-chat form",
    preHint: "Asked before the visitor's first question; all off: no form.",
    preName: "Name",
    preEmail: "E-mail",
    prePhone: "Phone",
    preOff: "Not asked",
    preOptional: "Optional",
    preRequired: "Required",
    proHeading: "Proactive messages",
    proHint: "One rule a line: page | seconds | Dutch text | English text, e.g. /vacatures/* | 20 | Hulp nodig? | Need help? (* matches any text)",
    proRules: "Rules",
    preSave: "Save form and messages",
    preSaved: "Pre-chat form and proactive messages saved.",
  },
  nl: {
    preHeading: "Formulier vooraf",
    preHint: "Gevraagd voor de eerste vraag van de bezoeker; alles uit: geen formulier.",
    preName: "Naam",
    preEmail: "E-mailadres",
    prePhone: "Telefoonnummer",
    preOff: "Niet gevraagd",
    preOptional: "Optioneel",
    preRequired: "Verplicht",
    proHeading: "Proactieve berichten",
    proHint: "Eén regel per lijn: pagina | seconden | Nederlandse tekst | Engelse tekst, bijv. /vacatures/* | 20 | Hulp nodig? | Need help? (* past op elke tekst)",
    proRules: "Regels",
    preSave: "Formulier en berichten opslaan",
    preSaved: "Formulier vooraf en proactieve berichten opgeslagen.",
  },
});

const FIELDS = [["name", "preName"], ["email", "preEmail"], ["phone", "prePhone"]];

/** "/vacatures/* | 20 | nl | en" per line to rules; the server checks them. */
const rules = (/** @type {string} */ text) => text.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
  const [url, seconds, nl, en] = l.split("|").map((p) => p.trim());
  return { url, seconds: Number(seconds), message: { nl: nl || "", en: en || "" } };
});

/**
 * The form for one site; ``onSaved`` reloads the list.
 * @param {import("./state.js").Site} site
 * @param {() => Promise<void>} onSaved
 */
export function prechatForm(site, onSaved) {
  const id = (/** @type {string} */ k) => `prechat-${site.id}-${k}`;
  /** @type {Record<string, string>} */
  const asked = (site.prechat || {}).fields || {};
  const selects = FIELDS.map(([k, label]) => {
    const s = el("select", { id: id(k), dataset: { testid: id(k) } },
      ...[["", "preOff"], ["optional", "preOptional"], ["required", "preRequired"]].map(([v, l]) => el("option", { value: v }, t(l))));
    s.value = asked[k] || "";
    return /** @type {[string, string, HTMLSelectElement]} */ ([k, label, s]);
  });
  const pro = el("textarea", { id: id("rules"), rows: 3, dataset: { testid: id("rules") } });
  pro.value = (site.proactive || []).map((r) => [r.url, r.seconds, r.message.nl || "", r.message.en || ""].join(" | ")).join("\n");
  const error = el("p", { class: "error", role: "alert", dataset: { testid: id("error") } });
  const form = el(
    "form",
    { class: "hours", dataset: { testid: id("form") } },
    el("h3", {}, t("preHeading")),
    el("p", { class: "muted" }, t("preHint")),
    ...selects.flatMap(([k, label, s]) => [el("label", { for: id(k) }, t(label)), s]),
    el("h3", {}, t("proHeading")),
    el("p", { class: "muted" }, t("proHint")),
    el("label", { for: id("rules") }, t("proRules")), pro,
    error,
    el("button", { type: "submit", class: "primary", dataset: { testid: id("save") } }, t("preSave")),
  );
  form.addEventListener("submit", async (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    error.textContent = "";
    const fields = Object.fromEntries(selects.filter(([, , s]) => s.value).map(([k, , s]) => [k, s.value]));
    const body = { name: site.name, origins: site.origins, greeting: site.greeting,
      prechat: Object.keys(fields).length ? { fields } : {}, proactive: rules(pro.value) };
    try {
      await put(`/api/livechat/sites/${site.id}`, body);
      toast(t("preSaved"));
      await onSaved();
    } catch (err) {
      error.textContent = settingError(err); // beside the form, in the console's language
    }
  });
  return form;
}
